/** Stable error codes with their messages in both languages; the server answers in the request's language. */
export const errorMessages = {
  VALIDATION_FAILED: { zh: '提交的数据有误', en: 'The submitted data is invalid' },
  INVALID_JSON: { zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  BODY_TOO_LARGE: { zh: '请求体过大', en: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { zh: '不支持的内容类型', en: 'Unsupported content type' },
  UNAUTHENTICATED: { zh: '请先登录', en: 'Please sign in' },
  FORBIDDEN: { zh: '没有权限执行此操作', en: 'You are not allowed to do this' },
  CSRF_FAILED: { zh: '安全校验失败，请刷新页面后重试', en: 'Security check failed; reload the page and try again' },
  NOT_FOUND: { zh: '未找到该记录', en: 'Not found' },
  VERSION_CONFLICT: { zh: '记录已被他人修改，请刷新后重试', en: 'Someone else changed this record; reload and try again' },
  LOGIN_FAILED: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: { zh: '登录失败次数过多，账号已暂时锁定，请稍后再试', en: 'Too many failed sign-ins; the account is locked for a while' },
  ACCOUNT_DISABLED: { zh: '账号已停用', en: 'This account is disabled' },
  TOO_MANY_REQUESTS: { zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  PASSWORD_CHANGE_REQUIRED: { zh: '请先修改初始密码', en: 'Change your initial password first' },
  PASSWORD_POLICY: { zh: '密码不符合安全要求', en: 'The password does not meet the policy' },
  PASSWORD_WRONG: { zh: '当前密码不正确', en: 'The current password is wrong' },
  USERNAME_TAKEN: { zh: '用户名已被使用', en: 'This username is taken' },
  CODE_TAKEN: { zh: '编码已被使用', en: 'This code is taken' },
  ROLE_KEY_TAKEN: { zh: '角色标识已被使用', en: 'This role key is taken' },
  UNIT_NOT_EMPTY: { zh: '该组织单元下仍有下级单元或员工，不能删除', en: 'The unit still has sub-units or staff' },
  UNIT_MOVE_INVALID: { zh: '不能把组织单元移到它自己的下级', en: 'A unit cannot move under itself' },
  ROLE_BUILT_IN: { zh: '内置角色不能删除或改名', en: 'Built-in roles cannot be deleted or renamed' },
  ROLE_IN_USE: { zh: '角色仍被授予员工，不能删除', en: 'The role is still granted to staff' },
  CANNOT_DISABLE_SELF: { zh: '不能停用自己的账号', en: 'You cannot disable your own account' },
  INTERNAL: { zh: '服务器内部错误', en: 'Internal server error' },
} as const;

export type ErrorCode = keyof typeof errorMessages;
export type Lang = 'zh' | 'en';
