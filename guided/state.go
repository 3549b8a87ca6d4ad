package guided

// The assistant's memory between turns: one slot per field of the booking.

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// sources says where each field of the booking came from (see state.Said);
// "" for a field not set.
type sources struct {
	Service string `json:"service,omitempty"`
	Date    string `json:"date,omitempty"`
	Name    string `json:"name,omitempty"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
}

// of returns the place of kind's source, nil for a kind not traced.
func (s *sources) of(kind FieldKind) *string {
	switch kind {
	case FieldService:
		return &s.Service
	case FieldDate:
		return &s.Date
	case FieldName:
		return &s.Name
	case FieldEmail:
		return &s.Email
	case FieldPhone:
		return &s.Phone
	}
	return nil
}

// stateVersion changes when the meaning of state changes; older state is
// dropped and the conversation starts afresh. 3: the booking's fields carry
// where they came from (state.Said).
const stateVersion = 3

// What the assistant asked last; it decides how a short reply is read.
const (
	askService = "service"
	askDate    = "date"
	askTime    = "time"
	askName    = "name"
	askEmail   = "email"
	askPhone   = "phone"
	askConfirm = "confirm" // a proposal awaits the customer's confirmation
	askRetry   = "retry"   // book_service failed for no field we can name
	askChange  = "change"  // "what would you like to change?"

	// Changing a booking already made, and reaching a person (changes.go).
	askChangeKind    = "changeKind"    // a code was given: cancel or move?
	askCode          = "code"          // the booking's confirmation code
	askBookingEmail  = "bookingEmail"  // the email the booking was made with
	askMoveDate      = "moveDate"      // the day to move the booking to
	askMoveTime      = "moveTime"      // the time to move it to
	askChangeConfirm = "changeConfirm" // a cancel or move proposal awaits the customer
	askChangeRetry   = "changeRetry"   // the change tool failed for no reason we can name
	askHumanEmail    = "humanEmail"    // where the business should reply
)

// state is the assistant's memory between turns.
type state struct {
	V           int                   `json:"v"`
	Asked       string                `json:"asked,omitempty"`
	ServiceID   string                `json:"serviceId,omitempty"`
	ServiceName string                `json:"serviceName,omitempty"`
	BookingType frontdesk.BookingType `json:"bookingType,omitempty"`
	// Date is the wanted day, YYYY-MM-DD; DateOpen says check_availability
	// found it open for ServiceID.
	Date     string `json:"date,omitempty"`
	DateOpen bool   `json:"dateOpen,omitempty"`
	// Time is a wanted time of day (HH:MM) not yet matched to a slot.
	Time string `json:"time,omitempty"`
	// Window is a range of wanted starts, "HH:MM-HH:MM" ("after 2pm"), when
	// no exact time was given: open times in it are offered, none chosen.
	Window string `json:"window,omitempty"`
	// WantTime is the exact time (HH:MM) the visitor last wrote: the only
	// time a slot may be chosen at, checked again before book_service.
	WantTime string `json:"wantTime,omitempty"`
	// SlotStart is the chosen slot's startTime (RFC 3339), TIMESLOT only.
	SlotStart    string `json:"slotStart,omitempty"`
	Name         string `json:"name,omitempty"`
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	PhoneSkipped bool   `json:"phoneSkipped,omitempty"`
	ProposalID   string `json:"proposalId,omitempty"`
	// Prefilled: a returning customer's details were copied in once.
	Prefilled bool `json:"prefilled,omitempty"`
	// Misses counts replies in a row that did not answer the question asked.
	Misses int `json:"misses,omitempty"`
	// Offered: the service was only asked about, no booking started.
	Offered bool `json:"offered,omitempty"`
	// LastQ is a hash of the question the last reply ended on and QRun how
	// many replies in a row asked it: never a third time.
	LastQ uint32 `json:"lastQ,omitempty"`
	QRun  int    `json:"qRun,omitempty"`
	// Again counts the turns in a row the same field was asked for.
	Again int `json:"again,omitempty"`
	// Said holds, for each booking field set (see traced), where its value
	// came from: the visitor's words as typed, or a source of the
	// assistant's own that needs no words (srcOnlyService, srcCustomer).
	Said sources `json:"said"`

	// Change is a journey apart from booking: changeCancel or changeMove of
	// a booking already made, found by Code and BookingEmail, to MoveDate
	// (and MoveTime, HH:MM) for a move; or changeHuman, a request for a
	// person with HumanReason.
	Change       string `json:"change,omitempty"`
	Code         string `json:"code,omitempty"`
	BookingEmail string `json:"bookingEmail,omitempty"`
	MoveDate     string `json:"moveDate,omitempty"`
	MoveTime     string `json:"moveTime,omitempty"`
	HumanReason  string `json:"humanReason,omitempty"`
}

// loadState reads the previous turn's state; anything that does not parse
// or does not make sense starts afresh.
func loadState(raw json.RawMessage) state {
	fresh := state{V: stateVersion}
	var st state
	if len(raw) == 0 || json.Unmarshal(raw, &st) != nil || st.V != stateVersion {
		return fresh
	}
	switch st.Asked {
	case "", askService, askDate, askTime, askName, askEmail, askPhone, askConfirm, askRetry, askChange:
	case askChangeKind, askCode, askBookingEmail, askMoveDate, askMoveTime, askChangeConfirm, askChangeRetry, askHumanEmail:
	default:
		st.Asked = ""
	}
	st.repairChange()
	if st.ServiceID == "" || st.BookingType != frontdesk.BookingDate && st.BookingType != frontdesk.BookingTimeslot {
		st.clearService()
	}
	if _, err := frontdesk.ParseDate(st.Date); err != nil {
		st.setDate("")
	}
	if _, err := time.Parse("15:04", st.Time); err != nil {
		st.Time = ""
	}
	if _, err := time.Parse("15:04", st.WantTime); err != nil {
		st.WantTime = ""
	}
	if from, to, ok := strings.Cut(st.Window, "-"); !ok || clockMinutes(from) < 0 || clockMinutes(to) < 0 {
		st.Window = ""
	}
	st.Misses = min(max(st.Misses, 0), 3)
	if _, err := time.Parse(time.RFC3339, st.SlotStart); err != nil || st.BookingType != frontdesk.BookingTimeslot || !st.DateOpen {
		st.SlotStart = ""
	}
	return st
}

// inProgress reports whether the customer has started a booking.
func (st *state) inProgress() bool {
	return st.Asked != "" || st.ServiceID != "" || st.Date != "" || st.Time != "" ||
		st.Name != "" || st.Email != "" || st.Phone != ""
}

// booking reports whether the customer has started a new booking (apart
// from changing one already made).
func (st *state) booking() bool {
	return st.ServiceID != "" || st.Date != "" || st.Time != "" || st.Name != "" || st.Email != "" || st.Phone != "" ||
		st.Asked != "" && !changeAsks[st.Asked]
}

// clearService forgets the service, and with it what was checked for it:
// whether the date is open and the chosen slot.
func (st *state) clearService() {
	st.ServiceID, st.ServiceName, st.BookingType = "", "", ""
	st.DateOpen, st.SlotStart = false, ""
}

// setDate records the wanted day ("" for none); whether it is open and the
// slot on it are then unknown.
func (st *state) setDate(date string) {
	st.Date, st.DateOpen, st.SlotStart = date, false, ""
}
