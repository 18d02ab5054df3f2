// The app may be served under a sub-path. The variable is read only when it is set, and the
// root is used otherwise: an optional variable with a real default, like `?? "/"`.
export const basename = process.env.APP_BASE_PATH
  ? process.env.APP_BASE_PATH.replace(/\/$/, "")
  : "/";
