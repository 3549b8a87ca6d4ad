package chat

import (
	"encoding/json"

	"github.com/frontdeskhq/frontdesk"
)

// toolSpecs describes the tools to the model. Names and inputs are fixed by
// the product; the guided assistant uses the same ones.
var toolSpecs = []frontdesk.ToolSpec{
	{Name: frontdesk.ToolGetServices, Description: "List the services the business offers, with ids, prices and whether they are booked by whole day (DATE) or by time slot (TIMESLOT).",
		InputSchema: schema(`{"type":"object","properties":{"category":{"type":"string","description":"optional category filter"}}}`)},
	{Name: frontdesk.ToolCheckAvailability, Description: "Find open dates (DATE services) or open start times (TIMESLOT services) between two dates. Defaults to the next 14 days.",
		InputSchema: schema(`{"type":"object","properties":{"packageId":{"type":"string","description":"service id or slug"},"startDate":{"type":"string","description":"YYYY-MM-DD"},"endDate":{"type":"string","description":"YYYY-MM-DD"}},"required":["packageId"]}`)},
	{Name: frontdesk.ToolGetBusinessInfo, Description: "Opening hours, policies (cancellation, refunds), FAQ and contact details.",
		InputSchema: schema(`{"type":"object","properties":{"topic":{"type":"string"}}}`)},
	{Name: frontdesk.ToolBookService, Description: "Prepare a booking for the customer to confirm. Validates everything; nothing is booked until the customer presses Confirm.",
		InputSchema: schema(`{"type":"object","properties":{"packageId":{"type":"string"},"date":{"type":"string","description":"YYYY-MM-DD"},"startTime":{"type":"string","description":"the slot's startTime from check_availability (RFC 3339); TIMESLOT only"},"customerName":{"type":"string"},"customerEmail":{"type":"string"},"customerPhone":{"type":"string"},"notes":{"type":"string"}},"required":["packageId","date","customerName","customerEmail"]}`)},
}

func schema(s string) json.RawMessage {
	if !json.Valid([]byte(s)) {
		panic("invalid tool schema: " + s)
	}
	return json.RawMessage(s)
}
