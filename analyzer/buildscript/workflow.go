package buildscript

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/doorman-sec/doorman/finding"
)

var (
	// rePRHead matches a checkout ref that names the pull request's code.
	rePRHead = regexp.MustCompile(`github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref|refs/pull/|github\.event\.workflow_run\.head_(?:sha|branch)|github\.event\.pull_request\.merge_commit_sha`)
	// reUntrusted matches expressions whose text an outsider chooses.
	reUntrusted = regexp.MustCompile(`\$\{\{\s*(?:github\.event\.(?:issue\.(?:title|body)|pull_request\.(?:title|body|head\.ref|head\.label|head\.repo\.default_branch)|comment\.body|review\.body|review_comment\.body|discussion\.(?:title|body)|pages\.[^}]*\.page_name|commits\.[^}]*\.(?:message|author\.(?:email|name))|head_commit\.(?:message|author\.(?:email|name))|workflow_run\.(?:head_branch|head_commit\.message|display_title))|github\.head_ref)\s*\}\}`)
	reSHA       = regexp.MustCompile(`^[0-9a-f]{40}$`)
)

// privileged triggers run with the base repository's secrets and a
// write token even for a pull request from a fork.
var privileged = map[string]bool{"pull_request_target": true, "workflow_run": true, "issue_comment": true, "issues": true, "discussion": true, "discussion_comment": true, "pull_request_review_comment": true}

// checkWorkflow applies the GitHub Actions rules to one workflow file.
func checkWorkflow(r *reporter, data []byte) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return
	}
	root := doc.Content[0]
	triggers := triggersOf(mapValue(root, "on"))
	checkoutPR := triggers["pull_request_target"] || triggers["workflow_run"]
	anyPrivileged := false
	for t := range triggers {
		anyPrivileged = anyPrivileged || privileged[t]
	}
	jobs := mapValue(root, "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		jobName, job := jobs.Content[i].Value, jobs.Content[i+1]
		steps := mapValue(job, "steps")
		if steps == nil || steps.Kind != yaml.SequenceNode {
			continue
		}
		checkedOut := 0 // line of a checkout of the PR's code
		for _, st := range steps.Content {
			uses := scalar(mapValue(st, "uses"))
			run := mapValue(st, "run")
			if strings.HasPrefix(uses, "actions/checkout@") && checkoutPR {
				if ref := scalar(mapValue(mapValue(st, "with"), "ref")); rePRHead.MatchString(ref) {
					checkedOut = st.Line
					continue
				}
			}
			if checkedOut > 0 && (run != nil || (uses != "" && !strings.HasPrefix(uses, "actions/"))) {
				r.report(rulePwnReq, finding.BuildTampering, finding.High, finding.ConfidenceHigh,
					"Workflow runs a pull request's code with the repository's secrets",
					fmt.Sprintf("job %q is triggered by pull_request_target/workflow_run, checks out the pull request's head and then runs it: any fork can read the secrets and push with the write token", jobName),
					st.Line, stepText(st), refPwn)
				checkedOut = 0 // one finding per checkout
			}
			if run != nil {
				if m := reUntrusted.FindString(run.Value); m != "" {
					sev := finding.Medium
					if anyPrivileged {
						sev = finding.High
					}
					r.report(ruleInjection, finding.RemoteCommandExecution, sev, finding.ConfidenceHigh,
						"Untrusted text interpolated into a workflow's shell",
						fmt.Sprintf("job %q pastes %s into a run: script; a title or branch name like `a\"; curl … | sh #` runs as shell. Pass it through env: instead", jobName, m),
						run.Line, m, refInject)
				}
			}
			if uses != "" {
				checkPin(r, uses, st.Line)
			}
		}
	}
}

// checkPin notes third-party actions referenced by a movable tag or
// branch rather than a commit: the tag's owner can change what runs.
func checkPin(r *reporter, uses string, line int) {
	if strings.HasPrefix(uses, "./") || strings.HasPrefix(uses, "docker://") {
		return
	}
	action, ref, ok := strings.Cut(uses, "@")
	if !ok || reSHA.MatchString(ref) || strings.HasPrefix(action, "actions/") || strings.HasPrefix(action, "github/") {
		return
	}
	r.report(ruleTagPin, finding.DependencyRisk, finding.Info, finding.ConfidenceHigh,
		"Third-party action pinned by tag, not by commit",
		fmt.Sprintf("%s is used at %q, a ref its owner can move; pin the full commit SHA", action, ref),
		line, uses, refPin)
}

// triggersOf reads `on:` as a string, a list or a map.
func triggersOf(n *yaml.Node) map[string]bool {
	out := map[string]bool{}
	if n == nil {
		return out
	}
	switch n.Kind {
	case yaml.ScalarNode:
		out[n.Value] = true
	case yaml.SequenceNode:
		for _, c := range n.Content {
			out[c.Value] = true
		}
	case yaml.MappingNode:
		for i := 0; i < len(n.Content); i += 2 {
			out[n.Content[i].Value] = true
		}
	}
	return out
}

func stepText(st *yaml.Node) string {
	if n := scalar(mapValue(st, "name")); n != "" {
		return "- name: " + n
	}
	if u := scalar(mapValue(st, "uses")); u != "" {
		return "- uses: " + u
	}
	return firstLine(scalar(mapValue(st, "run")))
}

// mapValue returns the value node of key in a mapping node, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}
