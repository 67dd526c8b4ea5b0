// Command rulesschema writes the JSON Schema of a closeloop rules document.
//
// From tools/rulesschema:
//
//	go run ./cmd -o ../../schema/rules.schema.json  # writes the committed schema
//	go run ./cmd -o -                               # prints it
//
// It is run by go generate in tools/rulesschema.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/closeloop/closeloop/tools/rulesschema"
)

func main() {
	out := flag.String("o", "../../schema/rules.schema.json", `output file ("-" for standard output)`)
	flag.Parse()
	data, err := rulesschema.Generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "rulesschema:", err)
		os.Exit(1)
	}
	if *out == "-" {
		_, err = os.Stdout.Write(data)
	} else {
		err = os.WriteFile(*out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "rulesschema:", err)
		os.Exit(1)
	}
}
