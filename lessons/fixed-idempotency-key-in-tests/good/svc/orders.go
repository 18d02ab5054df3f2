package svc

// Not a test file: the lesson reads tests and E2E scripts only.
func headers(r *Request) {
	r.Header.Set("Idempotency-Key", "constant")
}
