package worker

import (
	"context"
	"net/http"

	"github.com/nats-io/nats.go"
)

func (w *Worker) onRefunded(m *nats.Msg) {
	if !w.claimMessage(m) {
		return
	}
	http.Post(w.hook+"/refunded", "application/json", nil)
}

// claimMessage says what it does; a team's own name for it goes in the dedupe-calls option.
func (w *Worker) claimMessage(m *nats.Msg) bool {
	ok, _ := w.rdb.SetNX(context.Background(), "claim:"+m.Subject+":"+string(m.Data), 1, 0).Result()
	return ok
}
