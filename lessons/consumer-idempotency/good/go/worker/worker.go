package worker

import (
	"context"
	"net/http"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/redis/go-redis/v9"
)

type Worker struct {
	nc   *nats.Conn
	rdb  *redis.Client
	db   DB
	hook string
}

type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (int64, error)
}

func (w *Worker) Start(ctx context.Context) {
	// The message's key is claimed in Redis before the notification.
	w.nc.Subscribe("orders.created.v1", func(m *nats.Msg) {
		fresh, err := w.rdb.SetNX(ctx, "done:"+m.Header.Get("Order-Id"), 1, 24*time.Hour).Result()
		if err != nil || !fresh {
			return
		}
		http.Post(w.hook, "application/json", nil)
	})

	// An inbox table with a unique message id: a second insert changes no row.
	w.nc.Subscribe("orders.paid.v1", func(m *nats.Msg) {
		rows, err := w.db.Exec(ctx, `INSERT INTO processed_messages (id) VALUES ($1)
			ON CONFLICT (id) DO NOTHING`, m.Header.Get("Nats-Msg-Id"))
		if err != nil || rows == 0 {
			return
		}
		http.Post(w.hook+"/paid", "application/json", nil)
	})

	// A named handler whose helper claims the key first (handlers.go).
	w.nc.QueueSubscribe("orders.refunded.v1", "mailers", w.onRefunded)

	// Only reads and writes its own database: redelivery is harmless.
	w.nc.Subscribe("orders.viewed.v1", func(m *nats.Msg) {
		_, _ = w.db.Exec(ctx, "UPDATE orders SET views = views + 1 WHERE id = $1", string(m.Data))
	})

	// A GET changes nothing on the other side.
	w.nc.Subscribe("catalog.refresh.v1", func(m *nats.Msg) {
		resp, err := http.Get(w.hook + "/catalog")
		if err == nil {
			resp.Body.Close()
		}
	})

	// Redis pub/sub's Subscribe takes no handler: not a NATS consumer.
	sub := w.rdb.Subscribe(ctx, "cache-invalidations")
	_ = sub
}

// An HTTP handler, not a consumer: it is the producer's side (its own Idempotency-Key check).
func (w *Worker) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	http.Post(w.hook+"/direct", "application/json", r.Body)
}
