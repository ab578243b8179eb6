package emulator

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// ParseCredentials reads AWS credentials for AuthStrict from s, a comma-separated list of
// KEY:SECRET or KEY:SECRET:SESSION_TOKEN entries (blank entries are skipped), as
// `bedrock-emulator serve --credentials` takes them. Its error names the entry by its
// number, never quoting a secret.
func ParseCredentials(s string) ([]aws.Credentials, error) {
	var creds []aws.Credentials
	for i, entry := range ParseList(s) {
		parts := strings.SplitN(entry, ":", 3)
		if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
			return nil, fmt.Errorf("entry %d is not KEY:SECRET or KEY:SECRET:SESSION_TOKEN", i+1)
		}
		c := aws.Credentials{AccessKeyID: parts[0], SecretAccessKey: parts[1]}
		if len(parts) == 3 {
			c.SessionToken = parts[2]
		}
		creds = append(creds, c)
	}
	return creds, nil
}

// ParseList splits a comma-separated list, such as the API keys AuthStrict accepts,
// trimming spaces and dropping empty items.
func ParseList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
