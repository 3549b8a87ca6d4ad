module github.com/frontdeskhq/frontdesk

go 1.26.8
