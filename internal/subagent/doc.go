// Package subagent owns the Agent tool: the model starts a subagent of a
// type from agentdef, which runs its own agent loop (internal/agent, as a
// Sidechain of the session) with its own system prompt, a subset of the
// session's tools and possibly another model, and returns its final
// message as the tool result. Several Agent calls of one response run
// together, at most [MaxParallel] at a time.
//
// It needs a running agent loop, so it sits above agent and below
// harness, which builds the tool for each conversation. It must not
// import harness or a frontend.
package subagent
