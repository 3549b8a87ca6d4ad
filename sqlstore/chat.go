package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/frontdeskhq/frontdesk"
)

// CreateSession inserts a chat session.
func (s *queries) CreateSession(ctx context.Context, cs *frontdesk.ChatSession) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO chat_sessions (id, tenant_id, customer_id, customer_token, state, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, cs.ID, cs.TenantID, cs.CustomerID, cs.CustomerToken, string(cs.State), ts(cs.CreatedAt), ts(cs.UpdatedAt))
	return s.mapErr(err)
}

// Session finds a tenant's chat session by id.
func (s *queries) Session(ctx context.Context, tenantID, id string) (*frontdesk.ChatSession, error) {
	cs, err := scanSession(s.q.QueryRowContext(ctx, `SELECT `+sessionCols+`
		FROM chat_sessions WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	if err != nil {
		return nil, s.notFound(err, "The chat session")
	}
	return cs, nil
}

const sessionCols = `id, tenant_id, customer_id, customer_token, state, input_tokens, created_at, updated_at`

func scanSession(row rowScanner) (*frontdesk.ChatSession, error) {
	var cs frontdesk.ChatSession
	var state string
	var created, updated scanTime
	if err := row.Scan(&cs.ID, &cs.TenantID, &cs.CustomerID, &cs.CustomerToken, &state, &cs.InputTokens, &created, &updated); err != nil {
		return nil, err
	}
	if state != "" {
		cs.State = json.RawMessage(state)
	}
	cs.CreatedAt, cs.UpdatedAt = created.T, updated.T
	return &cs, nil
}

// SaveSessionState stores the state and the last activity time.
func (s *queries) SaveSessionState(ctx context.Context, cs *frontdesk.ChatSession) error {
	res, err := s.q.ExecContext(ctx, `UPDATE chat_sessions SET state = $3, customer_id = $4, customer_token = $5, updated_at = $6
		WHERE tenant_id = $1 AND id = $2`, cs.TenantID, cs.ID, string(cs.State), cs.CustomerID, cs.CustomerToken, ts(cs.UpdatedAt))
	if err != nil {
		return s.mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return frontdesk.NotFound("The chat session")
	}
	return nil
}

// AppendMessage adds a message after the session's last one. On
// PostgreSQL the number comes from a sequence, so concurrent appends never
// collide; SQLite's single writer makes MAX+1 safe.
func (s *queries) AppendMessage(ctx context.Context, m *frontdesk.ChatMessage) error {
	query := `INSERT INTO chat_messages (id, tenant_id, session_id, seq, role, content, tool_calls, created_at)
		SELECT $1, $2, $3, COALESCE(MAX(seq), 0) + 1, $4, $5, $6, $7 FROM chat_messages WHERE session_id = $3`
	if s.d == Postgres {
		query = `INSERT INTO chat_messages (id, tenant_id, session_id, role, content, tool_calls, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`
	}
	_, err := s.q.ExecContext(ctx, query, m.ID, m.TenantID, m.SessionID, m.Role, m.Content, string(m.ToolCalls), ts(m.CreatedAt))
	return s.mapErr(err)
}

// RecentMessages returns the session's latest messages, oldest first.
func (s *queries) RecentMessages(ctx context.Context, tenantID, sessionID string, limit int) ([]*frontdesk.ChatMessage, error) {
	return queryAll(ctx, s, scanMessage, `SELECT `+messageCols+` FROM (
		SELECT * FROM chat_messages WHERE tenant_id = $1 AND session_id = $2 ORDER BY seq DESC LIMIT $3
		) recent ORDER BY seq`, tenantID, sessionID, limit)
}

const messageCols = `id, tenant_id, session_id, seq, role, content, tool_calls, created_at`

func scanMessage(row rowScanner) (*frontdesk.ChatMessage, error) {
	var m frontdesk.ChatMessage
	var tools string
	var created scanTime
	if err := row.Scan(&m.ID, &m.TenantID, &m.SessionID, &m.Seq, &m.Role, &m.Content, &tools, &created); err != nil {
		return nil, err
	}
	if tools != "" {
		m.ToolCalls = json.RawMessage(tools)
	}
	m.CreatedAt = created.T
	return &m, nil
}

// CreateProposal inserts a proposal.
func (s *queries) CreateProposal(ctx context.Context, p *frontdesk.Proposal) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO proposals (id, tenant_id, session_id, operation, payload, preview, status,
		expires_at, result, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		p.ID, p.TenantID, p.SessionID, p.Operation, string(p.Payload), p.Preview, string(p.Status),
		ts(p.ExpiresAt), string(p.Result), ts(p.CreatedAt))
	return s.mapErr(err)
}

// Proposal finds a proposal of a tenant's session.
func (s *queries) Proposal(ctx context.Context, tenantID, sessionID, id string) (*frontdesk.Proposal, error) {
	var p frontdesk.Proposal
	var payload, status, result string
	var expires, created scanTime
	err := s.q.QueryRowContext(ctx, `SELECT id, tenant_id, session_id, operation, payload, preview, status, expires_at,
		result, created_at FROM proposals WHERE tenant_id = $1 AND session_id = $2 AND id = $3`, tenantID, sessionID, id).Scan(
		&p.ID, &p.TenantID, &p.SessionID, &p.Operation, &payload, &p.Preview, &status, &expires, &result, &created)
	if err != nil {
		return nil, s.notFound(err, "The proposal")
	}
	p.Payload = json.RawMessage(payload)
	if result != "" {
		p.Result = json.RawMessage(result)
	}
	p.Status = frontdesk.ProposalStatus(status)
	p.ExpiresAt, p.CreatedAt = expires.T, created.T
	return &p, nil
}

// UpdateProposal writes a proposal's status and result.
func (s *queries) UpdateProposal(ctx context.Context, p *frontdesk.Proposal) error {
	res, err := s.q.ExecContext(ctx, `UPDATE proposals SET status = $3, result = $4 WHERE tenant_id = $1 AND id = $2`,
		p.TenantID, p.ID, string(p.Status), string(p.Result))
	if err != nil {
		return s.mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return frontdesk.NotFound("The proposal")
	}
	return nil
}

// RecordTokenUsage inserts one model call's usage, adds its cost to the
// tenant's spend in its quarter hour (token_spend, read by TokenSpend) and
// its input tokens to the session's, in one transaction.
func (s *queries) RecordTokenUsage(ctx context.Context, u *frontdesk.TokenUsage) error {
	return s.inTx(ctx, func(q *queries) error {
		if _, err := q.q.ExecContext(ctx, `INSERT INTO token_usage (id, tenant_id, session_id, model, input_tokens, output_tokens,
			cache_read_tokens, cache_write_tokens, cost_micro_cents, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			u.ID, u.TenantID, u.SessionID, u.Model, u.InputTokens, u.OutputTokens, u.CacheReadTokens, u.CacheWriteTokens,
			u.CostMicroCents, ts(u.CreatedAt)); err != nil {
			return q.mapErr(err)
		}
		if _, err := q.q.ExecContext(ctx, `INSERT INTO token_spend (tenant_id, bucket, micro_cents) VALUES ($1, $2, $3)
			ON CONFLICT (tenant_id, bucket) DO UPDATE SET micro_cents = token_spend.micro_cents + excluded.micro_cents`,
			u.TenantID, ts(u.CreatedAt.Truncate(spendBucket)), u.CostMicroCents); err != nil {
			return q.mapErr(err)
		}
		_, err := q.q.ExecContext(ctx, `UPDATE chat_sessions SET input_tokens = input_tokens + $3 WHERE tenant_id = $1 AND id = $2`,
			u.TenantID, u.SessionID, u.InputTokens+u.CacheReadTokens+u.CacheWriteTokens)
		return q.mapErr(err)
	})
}

// ListTokenUsage lists a tenant's model calls, oldest first.
func (s *queries) ListTokenUsage(ctx context.Context, tenantID string) ([]*frontdesk.TokenUsage, error) {
	return queryAll(ctx, s, func(row rowScanner) (*frontdesk.TokenUsage, error) {
		var u frontdesk.TokenUsage
		var created scanTime
		err := row.Scan(&u.ID, &u.TenantID, &u.SessionID, &u.Model, &u.InputTokens, &u.OutputTokens,
			&u.CacheReadTokens, &u.CacheWriteTokens, &u.CostMicroCents, &created)
		u.CreatedAt = created.T
		return &u, err
	}, `SELECT id, tenant_id, session_id, model, input_tokens, output_tokens,
		cache_read_tokens, cache_write_tokens, cost_micro_cents, created_at FROM token_usage
		WHERE tenant_id = $1 ORDER BY created_at, id`, tenantID)
}
