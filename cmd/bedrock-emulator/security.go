package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// securityFlags are serve's flags for credentials and the admin API:
//
//	--credentials KEY:SECRET[:TOKEN],…   what --auth strict accepts as SigV4 signers
//	--api-keys KEY,…                     what --auth strict accepts as Bearer API keys
//	--admin-token TOKEN                  required on /_emulator/* but the health check
//	--no-admin                           turns /_emulator/* off but the health check
//
// Each has an environment variable, BEDROCK_EMULATOR_ and its name in capitals with _ for -,
// which is the better place for secrets: a command line is visible to every user of the
// machine. Flags win. The flags' defaults stay empty, so that no secret read from the
// environment is ever printed in a usage message.
type securityFlags struct {
	fs          *flag.FlagSet
	credentials string
	apiKeys     string
	adminToken  string
	noAdmin     bool
}

func addSecurityFlags(fs *flag.FlagSet) *securityFlags {
	f := &securityFlags{fs: fs}
	fs.StringVar(&f.credentials, "credentials", "", "AWS credentials --auth strict accepts, KEY:SECRET or KEY:SECRET:SESSION_TOKEN, comma-separated (env BEDROCK_EMULATOR_CREDENTIALS)")
	fs.StringVar(&f.apiKeys, "api-keys", "", "Bedrock API keys --auth strict accepts as Bearer tokens, comma-separated (env BEDROCK_EMULATOR_API_KEYS)")
	fs.StringVar(&f.adminToken, "admin-token", "", "require 'Authorization: Bearer TOKEN' on the admin API, all but /_emulator/health (env BEDROCK_EMULATOR_ADMIN_TOKEN)")
	fs.BoolVar(&f.noAdmin, "no-admin", false, "turn the admin API off, all but /_emulator/health (env BEDROCK_EMULATOR_NO_ADMIN)")
	return f
}

// install reads the environment for the flags not given and adds the options they set, and
// the auth mode, to opts. Call it after fs.Parse. Its errors never quote a secret.
func (f *securityFlags) install(opts *[]func(*emulator.Options), mode emulator.AuthMode) error {
	*opts = append(*opts, emulator.WithAuth(mode))
	given := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	for _, name := range []string{"credentials", "api-keys", "admin-token", "no-admin"} {
		env := "BEDROCK_EMULATOR_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok && !given[name] {
			if err := f.fs.Set(name, v); err != nil { // only the boolean can fail, and it is no secret
				return fmt.Errorf("%s=%q: %v", env, v, err)
			}
		}
	}

	var creds []aws.Credentials
	for i, entry := range split(f.credentials) {
		parts := strings.SplitN(entry, ":", 3)
		if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
			return fmt.Errorf("--credentials: entry %d is not KEY:SECRET or KEY:SECRET:SESSION_TOKEN", i+1)
		}
		c := aws.Credentials{AccessKeyID: parts[0], SecretAccessKey: parts[1]}
		if len(parts) == 3 {
			c.SessionToken = parts[2]
		}
		creds = append(creds, c)
	}
	keys := split(f.apiKeys)
	if mode == emulator.AuthStrict && len(creds) == 0 && len(keys) == 0 {
		return fmt.Errorf("--auth strict needs --credentials or --api-keys (or BEDROCK_EMULATOR_CREDENTIALS, BEDROCK_EMULATOR_API_KEYS)")
	}
	*opts = append(*opts, emulator.WithCredentials(creds...), emulator.WithAPIKeys(keys...))
	if f.adminToken != "" {
		*opts = append(*opts, emulator.WithAdminToken(f.adminToken))
	}
	if f.noAdmin {
		*opts = append(*opts, func(o *emulator.Options) { o.DisableAdmin = true })
	}
	return nil
}

// split splits a comma-separated list, dropping empty items.
func split(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
