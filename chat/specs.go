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
	{Name: frontdesk.ToolGetServices, Description: "List the services the business offers, with ids, prices and whether they are booked by whole day (DATE) or by time slot (TIMESLOT).",
		InputSchema: schema(`{"type":"object","properties":{"category":{"type":"string","description":"optional category filter"}}}`)},
	{Name: frontdesk.ToolCheckAvailability, Description: "Find open dates (DATE services) or open start times (TIMESLOT services) between two dates. Defaults to the next 14 days. TIMESLOT results are days:[{date, times:[HH:MM]}] in the business's time zone.",
		InputSchema: schema(`{"type":"object","properties":{"packageId":{"type":"string","description":"service id or slug"},"startDate":{"type":"string","description":"YYYY-MM-DD"},"endDate":{"type":"string","description":"YYYY-MM-DD"}},"required":["packageId"]}`)},
	{Name: frontdesk.ToolGetBusinessInfo, Description: "Opening hours, policies (cancellation, refunds), FAQ and contact details.",
		InputSchema: schema(`{"type":"object","properties":{"topic":{"type":"string"}}}`)},
	{Name: frontdesk.ToolBookService, Description: "Prepare a booking for the customer to confirm. Validates everything; nothing is booked until the customer presses Confirm.",
		InputSchema: schema(`{"type":"object","properties":{"packageId":{"type":"string"},"date":{"type":"string","description":"YYYY-MM-DD"},"startTime":{"type":"string","description":"an open time HH:MM of that date from check_availability; TIMESLOT only"},"customerName":{"type":"string"},"customerEmail":{"type":"string"},"customerPhone":{"type":"string"},"notes":{"type":"string"}},"required":["packageId","date","customerName","customerEmail"]}`)},
	{Name: frontdesk.ToolCancelBooking, Description: "Prepare cancelling a booking, found by its confirmation code and the email it was made with. The preview states the refund under the business's policy. A failed look-up does not say which of the two was wrong; after several, look-ups stop: then offer request_human.",
		InputSchema: schema(`{"type":"object","properties":{"bookingReference":{"type":"string","description":"the confirmation code, like BK-7XK3QM"},"customerEmail":{"type":"string","description":"the email address the booking was made with"},"reason":{"type":"string","description":"optional, the customer's reason in a few words"}},"required":["bookingReference","customerEmail"]}`)},
	{Name: frontdesk.ToolRescheduleBooking, Description: "Prepare moving a booking, found by its confirmation code and the email it was made with, to another day (and time for a timed service). If the time is not open the error lists that day's open times. Moves close to the start or beyond the business's limit are refused: then offer request_human.",
		InputSchema: schema(`{"type":"object","properties":{"bookingReference":{"type":"string","description":"the confirmation code, like BK-7XK3QM"},"customerEmail":{"type":"string","description":"the email address the booking was made with"},"newDate":{"type":"string","description":"YYYY-MM-DD"},"newTime":{"type":"string","description":"HH:MM, 24-hour, in the business's time zone; timed services only"}},"required":["bookingReference","customerEmail","newDate"]}`)},
	{Name: frontdesk.ToolRequestHuman, Description: "Pass the conversation to a person at the business, who will get back to the customer by email.",
		InputSchema: schema(`{"type":"object","properties":{"reason":{"type":"string","description":"what the customer needs, in a sentence (at most 500 characters)"},"customerEmail":{"type":"string","description":"optional, where the business can reply"}},"required":["reason"]}`)},
}

func schema(s string) json.RawMessage {
	if !json.Valid([]byte(s)) {
		panic("invalid tool schema: " + s)
	}
	return json.RawMessage(s)
}
