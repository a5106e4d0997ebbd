#!/usr/bin/env python3
"""Reduces record.sh's raw captures to facts.json: shapes, not prompts."""
import glob, json, os, sys

root = sys.argv[1]

def last_request(name):
    files = sorted(glob.glob(os.path.join(root, name, 'req*.json')))
    for f in reversed(files):
        try:
            d = json.load(open(f))
        except ValueError:
            continue
        if d.get('tools'):
            return d
    return None

def blocks(d):
    for m in d['messages']:
        content = m['content'] if isinstance(m['content'], list) else [{'type': 'text', 'text': m['content']}]
        for c in content:
            yield m['role'], c

def init_line(name):
    with open(os.path.join(root, name, 'stdout')) as f:
        d = json.loads(f.readline())
    keep = lambda xs: [x for x in xs if x in LOCAL]
    return {'slash_commands': keep(d['slash_commands']), 'skills': keep(d['skills']), 'output_style': d['output_style']}

LOCAL = {'myskill', 'Bad_Skill', 'noname', 'plain', 'mycmd', 'frontend:build', 'hidden', 'badyaml', 'nocmdargs', 'blank', 'useronly'}

def convo(d):
    """The user/assistant blocks after the skill listing, minus Claude Code's own reminders."""
    out = []
    for role, c in blocks(d):
        text = c.get('text', '')
        if 'skills are available for use with the Skill tool' in text:
            lines = text.split('\n')
            listing = [l for l in lines if l.startswith('- ') and l[2:].split(':')[0] in LOCAL | {'frontend'}]
            out.append({'role': role, 'skill_listing_header': lines[1], 'local_entries': listing})
            continue
        if c.get('type') == 'text' and text.startswith('<system-reminder>') and 'Read tool' not in text:
            continue
        c = dict(c)
        c.pop('cache_control', None)
        c.pop('id', None)
        c.pop('tool_use_id', None)
        out.append({'role': role, 'block': c})
    return out

facts = {}
for name in ['command', 'skill', 'noargs', 'clash', 'blank', 'user']:
    d = last_request(name)
    if d is None:
        facts[name] = {'error': 'no request recorded'}
        continue
    entry = {'init': init_line(name), 'messages': convo(d)}
    skill = [t for t in d['tools'] if t['name'] == 'Skill']
    if skill:
        entry['skill_tool_input_schema'] = skill[0]['input_schema']
    system = json.dumps(d.get('system'))
    i = system.find('# Output Style:')
    if i >= 0:
        entry['system_output_style_section'] = json.loads('"' + system[i:system.find('\\n\\n#', i + 1)] + '"')
    facts[name] = entry
# A failing or refused `!` line: what stream-json printed after init, and
# whether any request with tools (a model turn) was made.
for name in ['failing', 'denied']:
    path = os.path.join(root, name, 'stdout')
    if not os.path.exists(path):
        continue
    lines = [json.loads(l) for l in open(path) if l.strip()]
    user = [l for l in lines if l.get('type') == 'user']
    result = [l for l in lines if l.get('type') == 'result']
    facts[name] = {
        'user_content': user[0]['message']['content'] if user else None,
        'result': {k: result[0].get(k) for k in ('subtype', 'is_error', 'num_turns', 'result')} if result else None,
        'model_requests': last_request(name) is not None,
    }
json.dump(facts, sys.stdout, indent=1, ensure_ascii=False)
print()
