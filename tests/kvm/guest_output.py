"""The test guest's console output as the KVM tests read it (shared by the
vmm binary and virtio test scripts, which run with this folder on sys.path)."""


def guest_results(stdout):
    """The guest's CHECK lines as {name: (PASS|FAIL, detail)} and its summary line."""
    results, summary = {}, None
    for line in stdout.splitlines():
        line = line.strip("\r")
        if not line.startswith("vmmkit-guest: "):
            continue
        words = line[len("vmmkit-guest: "):].split(" ", 2)
        if len(words) >= 2 and words[1] in ("PASS", "FAIL"):
            results[words[0]] = (words[1], words[2] if len(words) > 2 else "")
        elif "passed," in line:
            summary = line
    return results, summary
