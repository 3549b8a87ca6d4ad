package guided

// The fifth evaluation set (testdata/fresh.jsonl) is the honest measure:
// 120 conversations written by hand by someone who had read neither the
// parser nor the other sets, and run once before any fix. It is a broad mix
// of how people book small services online, at the New York studio and the
// London salon: about half simple and polite; a quarter messy (typos,
// texting style, several facts at once, corrections); a quarter tricky
// (numbers that are not times or dates, negations, questions in the middle,
// unavailable times, and ambiguous requests where the assistant must ask).

const freshFile = "testdata/fresh.jsonl"
