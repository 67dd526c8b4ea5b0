// Command rulesschema writes the JSON Schema of a closeloop rules document.
//
// From the module root:
//
//	go run ./internal/cmd/rulesschema              # writes schema/rules.schema.json
//	go run ./internal/cmd/rulesschema -o -         # prints it
//
// It is run by go generate ./internal/rulesschema/.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/closeloop/closeloop/internal/rulesschema"
)

func main() {
	out := flag.String("o", "schema/rules.schema.json", `output file ("-" for standard output)`)
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
