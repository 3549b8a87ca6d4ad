package frontdesk

// Analytics counts a tenant's chat activity over a range of days.
type Analytics struct {
	Sessions          int64 // chat sessions started
	ChatBookings      int64 // bookings made through the chat
	ConfirmedBookings int64 // of those, confirmed (paid or free)
	ThumbsUp          int64
	ThumbsDown        int64
	Ratings           int64
	RatingSum         int64
	Escalations       int64
	InputTokens       int64
	OutputTokens      int64
	CostMicroCents    int64
}
