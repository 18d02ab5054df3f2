export class ApiError extends Error {
  constructor(readonly details: { code: string; message: string }) {
    super(details.message);
  }
}
