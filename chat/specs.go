package chat

import (
	"encoding/json"

	"github.com/frontdeskhq/frontdesk"
)

// toolSpecs describes the tools to the model. Names and inputs are fixed by
// the product; the guided assistant uses the same ones. Every call sends
// them (read from the prompt cache at a tenth of the price): what the
// system prompt's rules say is not repeated here.
var toolSpecs = []frontdesk.ToolSpec{
	{Name: frontdesk.ToolGetServices, Description: "The services in full (ids, descriptions, prices, DATE or TIMESLOT); the prompt already lists them.",
		InputSchema: schema(`{"type":"object","properties":{"category":{"type":"string"}}}`)},
	{Name: frontdesk.ToolCheckAvailability, Description: "Open dates (DATE) or start times (TIMESLOT: days:[{date,times:[HH:MM]}]) in the business's zone; default the next 14 days.",
		InputSchema: schema(`{"type":"object","properties":{"packageId":{"type":"string","description":"id or slug"},"startDate":{"type":"string","description":"YYYY-MM-DD"},"endDate":{"type":"string","description":"YYYY-MM-DD"}},"required":["packageId"]}`)},
	{Name: frontdesk.ToolGetBusinessInfo, Description: "Hours, policies, FAQ and contact details.",
		InputSchema: schema(`{"type":"object","properties":{"topic":{"type":"string"}}}`)},
	{Name: frontdesk.ToolBookService, Description: "Prepare a booking proposal; nothing is booked until the customer presses Confirm.",
		InputSchema: schema(`{"type":"object","properties":{"packageId":{"type":"string"},"date":{"type":"string","description":"YYYY-MM-DD"},"startTime":{"type":"string","description":"HH:MM from check_availability; TIMESLOT only"},"customerName":{"type":"string"},"customerEmail":{"type":"string"},"customerPhone":{"type":"string"},"notes":{"type":"string"}},"required":["packageId","date","customerName","customerEmail"]}`)},
	{Name: frontdesk.ToolCancelBooking, Description: "Prepare cancelling a booking found by its code and email; the preview states the refund. After several failed look-ups they stop: offer request_human.",
		InputSchema: schema(`{"type":"object","properties":{"bookingReference":{"type":"string","description":"like BK-7XK3QM"},"customerEmail":{"type":"string"},"reason":{"type":"string"}},"required":["bookingReference","customerEmail"]}`)},
	{Name: frontdesk.ToolRescheduleBooking, Description: "Prepare moving a booking found by its code and email to a new date (and time, timed services). A refusal lists the open times or says to offer request_human.",
		InputSchema: schema(`{"type":"object","properties":{"bookingReference":{"type":"string","description":"like BK-7XK3QM"},"customerEmail":{"type":"string"},"newDate":{"type":"string","description":"YYYY-MM-DD"},"newTime":{"type":"string","description":"HH:MM"}},"required":["bookingReference","customerEmail","newDate"]}`)},
	{Name: frontdesk.ToolRequestHuman, Description: "Hand the conversation to a person at the business, who replies by email.",
		InputSchema: schema(`{"type":"object","properties":{"reason":{"type":"string","description":"one sentence, at most 500 characters"},"customerEmail":{"type":"string"}},"required":["reason"]}`)},
}

func schema(s string) json.RawMessage {
	if !json.Valid([]byte(s)) {
		panic("invalid tool schema: " + s)
	}
	return json.RawMessage(s)
}
