package conformance_test

import (
	"os/exec"
	"syscall"
)

// dieWithTest makes the served emulator die with the test process, should that be killed
// before its cleanup runs (a timeout, an interrupted run).
func dieWithTest(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
