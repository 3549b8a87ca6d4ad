package frontdesk

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
)

// DecodeJSON reads one JSON value into v, refusing unknown fields, trailing
// data and bytes that are not UTF-8, with EInvalid errors that name the
// field and say what to do. The reader's own error (a body too large, say)
// stays reachable with errors.As. The whole of r is read first, so a
// caller with an untrusted reader limits its size (the HTTP middleware
// does).
func DecodeJSON(r io.Reader, v any) error {
	body, err := io.ReadAll(r)
	if err != nil {
		return &Error{Code: EInvalid, Message: "The request body could not be read; send it again.", Err: err}
	}
	// encoding/json would quietly turn invalid bytes into U+FFFD, and a
	// name or a note would be stored different from what was sent.
	if !utf8.Valid(body) {
		return Errorf(EInvalid, "The body must be UTF-8 text; check the encoding of the JSON you send.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil {
		if dec.More() {
			return Errorf(EInvalid, "The body must hold a single JSON object.")
		}
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		// Err lets a caller whose body is optional tell "no body" apart.
		return &Error{Code: EInvalid, Message: "The request body is empty; send a JSON object.", Err: io.EOF}
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Code: EInvalid, Message: "The body is not valid JSON; check its syntax and send one JSON object.", Err: err}
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return &Error{Code: EInvalid, Message: "The body must be a JSON object.", Err: err}
		}
		e := Invalid(FieldError{Field: jsonPath(typeErr.Field), Message: "must be " + kindName(typeErr.Type)})
		e.Err = err
		return e
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Invalid(FieldError{Field: field, Message: "is not a known field; check its spelling"})
	}
	return &Error{Code: EInvalid, Message: "The body could not be read as JSON; send one JSON object.", Err: err}
}

// jsonPath drops the names of embedded Go structs (capitalised) from a
// decoder's field path, leaving the JSON names.
func jsonPath(p string) string {
	var out []string
	for _, seg := range strings.Split(p, ".") {
		if seg != "" && !(seg[0] >= 'A' && seg[0] <= 'Z') {
			out = append(out, seg)
		}
	}
	return strings.Join(out, ".")
}

// JSONKind is a type that says in words what JSON values it accepts, for
// the message of a value of the wrong type ("must be " + JSONKind()).
type JSONKind interface{ JSONKind() string }

func kindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if k, ok := reflect.Zero(t).Interface().(JSONKind); ok {
		return k.JSONKind()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	}
	return "a number"
}
