// compose-check loads a compose file with the compose-spec reference loader (compose-go, the
// library `docker compose` itself uses): interpolation, extends/anchors, merge and validation
// against the compose-spec JSON schema, then prints the resolved model as `docker compose config`
// does. Exit status 1 on any error. Built by scripts/ops-check.sh from the Go module proxy.
//
//	compose-check [-env-file FILE]... [-profile NAME]... FILE...
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var envFiles, profiles list
	quiet := flag.Bool("q", false, "print nothing on success")
	flag.Var(&envFiles, "env-file", "an env file for interpolation (repeatable)")
	flag.Var(&profiles, "profile", "a profile to enable (repeatable)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: compose-check [-env-file FILE]... [-profile NAME]... FILE...")
		os.Exit(64)
	}
	opts := []cli.ProjectOptionsFn{cli.WithOsEnv, cli.WithName("shop-platform"), cli.WithProfiles(profiles)}
	if len(envFiles) > 0 {
		opts = append(opts, cli.WithEnvFiles(envFiles...))
	}
	opts = append(opts, cli.WithDotEnv)
	options, err := cli.NewProjectOptions(flag.Args(), opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compose-check:", err)
		os.Exit(1)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "compose-check:", err)
		os.Exit(1)
	}
	out, err := project.MarshalYAML()
	if err != nil {
		fmt.Fprintln(os.Stderr, "compose-check:", err)
		os.Exit(1)
	}
	if !*quiet {
		os.Stdout.Write(out)
	}
	fmt.Fprintf(os.Stderr, "compose-check: %s: %d services valid\n", strings.Join(flag.Args(), ", "), len(project.Services))
}
