package guided

// The fourth evaluation set (testdata/adversarial.jsonl) is written to
// trick the parser into a wrong proposal, by someone who had read neither
// the parser nor the other sets: numbers that look like times or dates but
// are prices, durations, counts, ages, house and order numbers or phone
// fragments; dates inside questions before the visitor books another day;
// negations ("not Friday", "anything but 3pm"); hypotheticals and
// alternatives; relative dates beside other numbers; names that are months,
// weekdays or service words; emails whose local part reads like a day or a
// time; service words inside other words; and corrections of corrections.
// Where the visitor left a field open or ambiguous, the case expects no
// proposal: the assistant must ask.

const adversarialFile = "testdata/adversarial.jsonl"
