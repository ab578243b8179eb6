module github.com/bedrock-emulator/bedrock-emulator

go 1.26
