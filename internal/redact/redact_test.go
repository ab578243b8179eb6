package redact

import "testing"

func TestSecretHeader(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"Authorization": true, "authorization": true, "Proxy-Authorization": true, "X-Amz-Security-Token": true,
		"Cookie": true, "Set-Cookie": true, "X-Api-Key": true, "X-Goog-Api-Key": true, "X-Apikey": true,
		"X-Session-Token": true, "Client-Secret": true, "X-Password-Hint": true,
		"Content-Type": false, "X-Amzn-Bedrock-Input-Token-Count": false, "X-Amz-Date": false, "Token-Type": false,
	} {
		if got := SecretHeader(name); got != want {
			t.Errorf("SecretHeader(%q) = %v, want %v", name, got, want)
		}
	}
}
