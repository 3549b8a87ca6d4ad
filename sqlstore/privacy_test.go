package sqlstore_test

import (
	"testing"

	"github.com/frontdeskhq/frontdesk/storetest"
)

// TestPrivacy runs the store's export and erasure contract on each database.
func TestPrivacy(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) { storetest.Privacy(t, b.Open(t)) })
}
