// goparse is the oracle for leakscope's Go parser: for each file named on standard input (one
// path a line) it prints "ok PATH" or "error PATH" as go/parser (what gofmt uses) decides.
package main

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"os"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		path := in.Text()
		fset := token.NewFileSet()
		_, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			fmt.Fprintf(out, "error %s\n", path)
		} else {
			fmt.Fprintf(out, "ok %s\n", path)
		}
	}
}
