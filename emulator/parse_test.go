package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"
)

func TestParseCredentials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		want     []aws.Credentials
		wantErr  string
	}{
		{"empty", "", nil, ""},
		{"key and secret", "AKIA1:s1", []aws.Credentials{{AccessKeyID: "AKIA1", SecretAccessKey: "s1"}}, ""},
		{"with a session token, blanks skipped", " AKIA1:s1 ,, ASIA2:s2:tok:en ", []aws.Credentials{
			{AccessKeyID: "AKIA1", SecretAccessKey: "s1"}, {AccessKeyID: "ASIA2", SecretAccessKey: "s2", SessionToken: "tok:en"}}, ""},
		{"no secret, named by number", "AKIA1:s1,AKIA2", nil, "entry 2 is not KEY:SECRET or KEY:SECRET:SESSION_TOKEN"},
		{"empty key", ":secret", nil, "entry 1 is not KEY:SECRET or KEY:SECRET:SESSION_TOKEN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCredentials(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Errorf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff([]string{"a", "b c"}, ParseList(" a,, b c ,")); diff != "" {
		t.Errorf("ParseList (-want +got):\n%s", diff)
	}
}
