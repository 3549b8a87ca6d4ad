package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// SQLite commits each write made outside a transaction on its own, and a
// commit costs as much as the insert it carries (the changed pages go to
// the WAL each time). When many chat turns arrive at once, their writes
// queue for the one writer connection; the batcher commits the writes
// waiting together in one transaction instead (group commit). Each write
// still runs as its own statement with its own result, and its caller
// returns only once it is committed, so a read that follows sees it.

// maxBatch bounds the writes committed together.
const maxBatch = 128

// batcher runs SQLite's writes outside a transaction, several per commit.
type batcher struct {
	db   *sql.DB
	reqs chan *write
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// write is one statement waiting for the batcher.
type write struct {
	ctx   context.Context
	query string
	args  []any
	res   sql.Result
	err   error
	ready chan struct{}
}

func newBatcher(db *sql.DB) *batcher {
	b := &batcher{db: db, reqs: make(chan *write), stop: make(chan struct{}), done: make(chan struct{})}
	go b.run()
	return b
}

// exec runs a write and returns once it is committed (or failed).
func (b *batcher) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	w := &write{ctx: ctx, query: query, args: args, ready: make(chan struct{})}
	select {
	case b.reqs <- w:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-b.stop:
		return b.db.ExecContext(ctx, query, args...) // closing: the database says it is closed
	}
	<-w.ready // once taken, the write is carried out (or fails with its context)
	return w.res, w.err
}

// beginTimeout bounds the wait for the writer's connection when a batch
// begins: a transaction holding it that long is stuck, and the writes of
// the batch then run on their own, each with its caller's context.
const beginTimeout = 10 * time.Second

// close stops the batcher after the writes it has taken; closing again
// does nothing.
func (b *batcher) close() {
	b.once.Do(func() { close(b.stop) })
	<-b.done
}

func (b *batcher) run() {
	defer close(b.done)
	for {
		var first *write
		select {
		case first = <-b.reqs:
		case <-b.stop:
			return
		}
		batch := []*write{first}
	more:
		for len(batch) < maxBatch {
			select {
			case w := <-b.reqs:
				batch = append(batch, w)
			default:
				break more
			}
		}
		b.commit(batch)
	}
}

// commit runs the batch in one transaction. If any statement fails, or
// the commit does, the transaction is rolled back and every write of the
// batch runs on its own, so each gets exactly its own outcome.
func (b *batcher) commit(batch []*write) {
	defer func() {
		for _, w := range batch {
			close(w.ready)
		}
	}()
	if len(batch) > 1 && b.together(batch) {
		return
	}
	for _, w := range batch {
		w.res, w.err = b.db.ExecContext(w.ctx, w.query, w.args...)
	}
}

// together runs the batch in one transaction and reports whether it was
// committed with every statement succeeding.
func (b *batcher) together(batch []*write) bool {
	ctx, cancel := context.WithTimeout(context.Background(), beginTimeout)
	defer cancel()
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return false
	}
	for _, w := range batch {
		if w.ctx.Err() != nil {
			tx.Rollback()
			return false // a caller gave up: run the rest on their own
		}
		if w.res, w.err = tx.ExecContext(ctx, w.query, w.args...); w.err != nil {
			tx.Rollback()
			return false
		}
	}
	if err := tx.Commit(); err != nil {
		return false
	}
	return true
}
