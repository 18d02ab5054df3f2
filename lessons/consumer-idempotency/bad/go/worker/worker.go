package worker

import (
	"context"
	"net/http"
	"net/smtp"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/redis/go-redis/v9"
	"github.com/stripe/stripe-go/v79"
	"github.com/stripe/stripe-go/v79/refund"

	"example.com/shop/notify"
)

type Worker struct {
	nc     *nats.Conn
	rdb    *redis.Client
	client *http.Client
	hook   string
}

func (w *Worker) Start(ctx context.Context, cons jetstream.Consumer) {
	// Inline handler, the effect one call away in another package of this repository.
	w.nc.Subscribe("orders.created.v1", func(m *nats.Msg) {
		_ = notify.Send(w.hook, m.Data) // lessons: expect[consumer-idempotency]
	})

	// A named handler: the method is in handlers.go of this package.
	w.nc.QueueSubscribe("orders.paid.v1", "mailers", w.onPaid)

	// The claim comes after the call: the second delivery has already sent it again.
	w.nc.Subscribe("orders.shipped.v1", func(m *nats.Msg) {
		req, _ := http.NewRequest(http.MethodPost, w.hook, nil)
		w.client.Do(req) // lessons: expect[consumer-idempotency]
		w.rdb.SetNX(ctx, "shipped:"+string(m.Data), 1, time.Hour)
	})

	// JetStream's Consume callback.
	cons.Consume(func(msg jetstream.Msg) {
		_ = smtp.SendMail("mail:25", nil, "shop@example.com", []string{"a@example.com"}, msg.Data()) // lessons: expect[consumer-idempotency]
		msg.Ack()
	})
}

// A pull loop: every iteration is one delivery.
func (w *Worker) Refunds(cons jetstream.Consumer) error {
	it, err := cons.Messages()
	if err != nil {
		return err
	}
	for {
		msg, err := it.Next()
		if err != nil {
			return err
		}
		_, _ = refund.New(&stripe.RefundParams{Charge: stripe.String(string(msg.Data()))}) // lessons: expect[consumer-idempotency]
		msg.Ack()
	}
}
