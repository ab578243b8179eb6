// Package sdktest drives a served emulator with the AWS SDKs of other languages (the AWS
// CLI, curl's SigV4, the AWS SDK for JavaScript v3, and boto3 for the README's test ID
// snippet) to prove they cannot tell it from Bedrock. Its tests skip, saying why, where a
// tool is missing; .ci/run installs the JavaScript SDK (npm ci in sdktest/js) before the
// tests run.
package sdktest
