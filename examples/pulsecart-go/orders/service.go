// Package orders creates orders: one per Idempotency-Key, charged, then announced on NATS.
package orders

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/redis/go-redis/v9"
	"github.com/stripe/stripe-go/v79"
	"github.com/stripe/stripe-go/v79/paymentintent"
)

const CreatedSubject = "orders.created.v1"

type Order struct {
	ID          string `json:"id"`
	CustomerID  string `json:"customer_id"`
	AmountCents int64  `json:"amount_cents"`
	RequestID   string `json:"request_id"`
}

type Service struct {
	Redis *redis.Client
	NATS  *nats.Conn
	Store Store
}

type Store interface {
	Insert(ctx context.Context, order Order) error
}

// Create is the producer side the retro got right: a request without a key is refused, and a
// key seen before answers 409 instead of creating a second order.
func (s *Service) Create(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		http.Error(w, "Idempotency-Key is required", http.StatusBadRequest)
		return
	}
	fresh, err := s.Redis.SetNX(r.Context(), "idem:orders:"+key, 1, 24*time.Hour).Result()
	if err != nil {
		http.Error(w, "idempotency store unavailable", http.StatusServiceUnavailable)
		return
	}
	if !fresh {
		http.Error(w, "duplicate request", http.StatusConflict)
		return
	}

	var order Order
	if err := json.NewDecoder(r.Body).Decode(&order); err != nil {
		http.Error(w, "invalid order", http.StatusBadRequest)
		return
	}
	order.RequestID = r.Header.Get("X-Request-Id")

	// The provider is not told the key: a retry after a timeout charges the card again.
	if _, err := paymentintent.New(&stripe.PaymentIntentParams{
		Amount:   stripe.Int64(order.AmountCents),
		Currency: stripe.String(string(stripe.CurrencyEUR)),
		Customer: stripe.String(order.CustomerID),
	}); err != nil {
		http.Error(w, "payment failed", http.StatusPaymentRequired)
		return
	}
	if err := s.Store.Insert(r.Context(), order); err != nil {
		http.Error(w, "could not save the order", http.StatusInternalServerError)
		return
	}

	payload, _ := json.Marshal(order)
	if err := s.NATS.Publish(CreatedSubject, payload); err != nil {
		http.Error(w, "could not publish the order", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(order)
}
