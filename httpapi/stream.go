package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/chat"
)

// openFlushDelay is how long a stream's headers may wait for its first
// chunk before they are sent alone.
const openFlushDelay = 200 * time.Millisecond

// DefaultStreamHeartbeat is how often an idle stream sends a comment line,
// so proxies and browsers keep the connection open.
const DefaultStreamHeartbeat = 15 * time.Second

// streamEvent is one server-sent event of POST /message/stream.
type streamEvent struct {
	Type      string             `json:"type"` // chunk, proposal, done, error
	Content   string             `json:"content,omitempty"`
	Message   string             `json:"message,omitempty"`
	MessageID string             `json:"messageId,omitempty"`
	Proposal  *chat.ProposalView `json:"proposal,omitempty"`
	// Suggestions are the quick replies of a done event, as /message gives.
	Suggestions []string `json:"suggestions,omitempty"`
	Error       string   `json:"error,omitempty"`
}

// streamReply answers with server-sent events instead of JSON.
type streamReply struct {
	s       *Server
	t       *frontdesk.Tenant
	session *frontdesk.ChatSession // loaded before the stream opens
	message string
}

// responder is a tenant step's result that writes its own response.
type responder interface {
	respond(w http.ResponseWriter, r *http.Request)
}

func (s *Server) messageStream(r *http.Request) (tenantStep, error) {
	req, err := decodeMessage(r)
	if err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		// An unknown session is a 404 like /message, before the stream opens.
		cs, err := s.Chat.LiveSession(r.Context(), t, req.SessionID)
		if err != nil {
			return nil, err
		}
		return &streamReply{s: s, t: t, session: cs, message: req.Message}, nil
	}, nil
}

// respond runs the chat turn, sending its text as chunk events while it is
// made, a proposal event if the turn made one, and done with the whole
// message (or error). A comment line every heartbeat keeps an idle
// connection open; a client that goes away cancels the turn.
func (sr *streamReply) respond(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	var mu sync.Mutex
	stopped := false // set when the handler returns; the writer is gone then
	defer func() {
		mu.Lock()
		stopped = true
		mu.Unlock()
	}()
	flushed := false // once anything has been sent
	write := func(frame string) {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		rc.SetWriteDeadline(time.Now().Add(30 * time.Second)) // past the server's WriteTimeout for long turns
		if _, err := w.Write([]byte(frame)); err == nil {
			rc.Flush()
			flushed = true
		}
	}
	send := func(ev streamEvent) {
		b, _ := json.Marshal(ev)
		write("data: " + string(b) + "\n\n")
	}
	// The headers and an opening comment go out with the first chunk, or
	// after openFlushDelay if none has come by then: one write instead of
	// two for an answer that starts at once.
	io.WriteString(w, ": stream open\n\n")
	open := time.AfterFunc(openFlushDelay, func() {
		mu.Lock()
		defer mu.Unlock()
		if !stopped && !flushed {
			rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
			rc.Flush()
			flushed = true
		}
	})
	defer open.Stop()

	done := make(chan struct{})
	defer close(done)
	every := sr.s.StreamHeartbeat
	if every <= 0 {
		every = DefaultStreamHeartbeat
	}
	go func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-r.Context().Done():
				return
			case <-tick.C:
				write(": heartbeat\n\n")
			}
		}
	}()

	reply, err := sr.s.Chat.SendStreamTo(r.Context(), sr.t, sr.session, sr.message, func(text string) {
		send(streamEvent{Type: "chunk", Content: text})
	})
	if err != nil {
		if r.Context().Err() != nil {
			logger(r.Context()).Info("client went away during the stream")
			return
		}
		code, msg := frontdesk.ErrorCode(err), frontdesk.ErrorMessage(err)
		if code == frontdesk.EInternal || code == frontdesk.EUnavailable {
			logFailure(r, err)
		}
		if code == frontdesk.EInternal {
			msg = frontdesk.ErrorMessage(errors.New("hidden")) // never the internal text
		}
		send(streamEvent{Type: "error", Error: code, Message: msg})
		return
	}
	if reply.Proposal != nil {
		send(streamEvent{Type: "proposal", Proposal: reply.Proposal})
	}
	send(streamEvent{Type: "done", Message: reply.Message, MessageID: reply.MessageID, Proposal: reply.Proposal, Suggestions: reply.Suggestions})
}
