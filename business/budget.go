package business

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// MaxMonthlyTokenBudgetCents is the largest monthly model budget accepted,
// a million US dollars: far past any real month, so that a typo is refused
// rather than taken for no limit.
const MaxMonthlyTokenBudgetCents = 100_000_000

// BudgetPatch is the monthlyTokenBudgetCents of a settings patch. Unlike
// the other settings it has three states, because null is a value of its
// own (no budget): the key absent leaves the budget as it is, null removes
// it, a number sets it (0: no model at all).
type BudgetPatch struct {
	// Sent says the key was present in the patch.
	Sent bool
	// Cents is the budget sent; nil for null, no budget.
	Cents *int64
}

// SetBudget returns a patch that sets the monthly budget: nil for no
// budget, 0 for no model at all, else a cap in US cents.
func SetBudget(cents *int64) BudgetPatch {
	if cents != nil {
		c := *cents
		cents = &c
	}
	return BudgetPatch{Sent: true, Cents: cents}
}

// JSONKind says what a budget may be, for the message of a value that is
// not one (frontdesk.JSONKind) and of one out of range.
func (BudgetPatch) JSONKind() string {
	return fmt.Sprintf("null for no budget, 0 for no model at all (the guided assistant answers every turn), "+
		"or a monthly cap in US cents from 1 to %d", MaxMonthlyTokenBudgetCents)
}

// UnmarshalJSON records that the key was present. A value that is not a
// whole number fails with a type error of BudgetPatch, which the decoder
// names the field of and frontdesk.DecodeJSON words with JSONKind.
func (b *BudgetPatch) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		*b = BudgetPatch{Sent: true}
		return nil
	}
	var cents int64
	if err := json.Unmarshal(data, &cents); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return &json.UnmarshalTypeError{Value: typeErr.Value, Type: reflect.TypeFor[BudgetPatch](), Offset: typeErr.Offset}
		}
		return err
	}
	*b = BudgetPatch{Sent: true, Cents: &cents}
	return nil
}

// MarshalJSON writes the budget sent, null for no budget; with the field's
// omitzero an unsent budget is left out.
func (b BudgetPatch) MarshalJSON() ([]byte, error) {
	if b.Cents == nil {
		return []byte("null"), nil
	}
	return json.Marshal(*b.Cents)
}

// IsZero reports that the key was not sent.
func (b BudgetPatch) IsZero() bool { return !b.Sent }

// applyTo returns the budget after the patch: the patch's when it was
// sent, else old. The result never shares memory with either.
func (b BudgetPatch) applyTo(old *int64) *int64 {
	v := old
	if b.Sent {
		v = b.Cents
	}
	if v == nil {
		return nil
	}
	c := *v
	return &c
}
