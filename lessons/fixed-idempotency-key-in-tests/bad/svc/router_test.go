package svc

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// A test server around the application's own router: its store may keep the key between runs.
func TestCreateOrderThroughTheRouter(t *testing.T) {
	srv := httptest.NewServer(NewRouter(testStore(t)))
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/v1/orders", nil)
	req.Header.Set("Idempotency-Key", "router-order-1") // lessons: expect[fixed-idempotency-key-in-tests]
	_, _ = http.DefaultClient.Do(req)
}
