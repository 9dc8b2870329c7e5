# manifest.awk: reads the CASCADE_AGENTS manifest (JSON) on stdin and prints the agents in the order
# the stand-in starts them, one per line:
#
#   level|name|port|healthPort|dnsName|dependsOn(comma-separated, "-" when none)
#
# The image has only busybox, so there is no JSON library: this is a small but complete JSON lexer
# (strings with escapes, numbers, literals, nesting) and a recursive-descent reader for exactly the
# manifest's shape, an array of objects. Fields the stand-in does not need (env, config,
# memoryLimitBytes, optional, and any future key) are parsed and skipped, so a new key in the
# program's manifest does not break old images.
#
# `level` is the agent's startupOrder as the program derived it (model/build.ts: the seed's, or one
# more than its latest dependency's), so the stand-in starts agents in the program's order and derives
# none of its own. It only checks what would otherwise hang it: each dependency must be in the
# manifest (the gate polls its health port) and start at a lower level (the gate of a level waits for
# its dependencies before the next level starts, so an equal or later one would never come up). The
# program's validator refuses both; a hand-written manifest may not, and must fail loudly.
#
# Anything the stand-in cannot honour exits 2 with one line on stderr naming the problem: malformed
# JSON, a missing or mistyped field, a duplicate name or port, an unknown dependency, a dependency
# that does not start first. A bad manifest must fail the task loudly, not bring up a group that only
# looks healthy.

BEGIN { RS = "\001" }   # no such byte in JSON text: the whole input is one record
{ TEXT = TEXT $0 }
END {
    LEN = length(TEXT); POS = 1; N = 0
    lex()
    if (TT == "eof") fail("it is empty")
    read_manifest()
    check_agents()
    check_order()
    print_in_order()
}

function fail(msg) {
    printf "cascade-standin: CASCADE_AGENTS: %s\n", msg > "/dev/stderr"
    exit 2
}

# ---- lexer: sets TT (token type: { } [ ] : , str num lit eof) and TV (its value) -------------------

function lex(   c) {
    while (POS <= LEN && index(" \t\r\n", substr(TEXT, POS, 1)) > 0) POS++
    if (POS > LEN) { TT = "eof"; TV = ""; return }
    c = substr(TEXT, POS, 1)
    if (index("{}[]:,", c) > 0) { TT = c; TV = c; POS++; return }
    if (c == "\"") { lex_string(); return }
    if (match(substr(TEXT, POS, 64), /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
        TT = "num"; TV = substr(TEXT, POS, RLENGTH); POS += RLENGTH; return
    }
    if (match(substr(TEXT, POS, 5), /^(true|false|null)/)) {
        TT = "lit"; TV = substr(TEXT, POS, RLENGTH); POS += RLENGTH; return
    }
    fail("not JSON: unexpected '" c "' at character " POS)
}

# Escapes are decoded except \uXXXX, which is kept as written: names and ports never need it, and a
# name containing it is then rejected by the name check with the text the operator wrote.
function lex_string(   out, c, e) {
    out = ""; POS++
    while (1) {
        if (POS > LEN) fail("not JSON: unterminated string")
        c = substr(TEXT, POS, 1)
        if (c == "\"") { POS++; break }
        if (c == "\\") {
            e = substr(TEXT, POS + 1, 1)
            if (e == "n") out = out "\n"
            else if (e == "t") out = out "\t"
            else if (e == "r") out = out "\r"
            else if (e == "b") out = out "\b"
            else if (e == "f") out = out "\f"
            else if (e == "u") { out = out "\\u" substr(TEXT, POS + 2, 4); POS += 6; continue }
            else if (e == "\"" || e == "\\" || e == "/") out = out e
            else fail("not JSON: bad escape \\" e " at character " POS)
            POS += 2; continue
        }
        out = out c; POS++
    }
    TT = "str"; TV = out
}

function describe() { return TT == "eof" ? "the end of the text" : (TT == "str" ? "\"" TV "\"" : "'" TV "'") }

function expect(t) {
    if (TT != t) fail("not JSON: expected '" t "' but found " describe() " at character " POS)
    lex()
}

# ---- reader ------------------------------------------------------------------------------------

function read_manifest() {
    if (TT != "[") fail("must be a JSON array of agents, found " describe())
    lex()
    if (TT == "]") fail("the manifest lists no agent")
    while (1) {
        read_agent()
        if (TT == ",") { lex(); continue }
        expect("]")
        break
    }
    if (TT != "eof") fail("not JSON: text after the closing ']' at character " POS)
}

function read_agent(   key, i) {
    if (TT != "{") fail("agent " (N + 1) " must be an object, found " describe())
    i = ++N
    lex()
    if (TT == "}") { lex(); return }
    while (1) {
        if (TT != "str") fail("not JSON: expected a key in agent " i " but found " describe())
        key = TV; lex(); expect(":")
        if (key == "dependsOn") read_dependencies(i)
        else if (key == "name" || key == "dnsName" || key == "port" || key == "healthPort" || key == "startupOrder") {
            if (TT != "str" && TT != "num" && TT != "lit") fail("agent " i ": " key " must be a single value")
            FIELD[i, key] = TV; TYPE[i, key] = TT; lex()
        } else skip_value()
        if (TT == ",") { lex(); continue }
        expect("}")
        break
    }
}

function read_dependencies(i) {
    NDEPS[i] = 0
    if (TT != "[") fail("agent " i ": dependsOn must be an array of names")
    lex()
    if (TT == "]") { lex(); return }
    while (1) {
        if (TT != "str") fail("agent " i ": dependsOn must list names (strings), found " describe())
        DEP[i, ++NDEPS[i]] = TV
        lex()
        if (TT == ",") { lex(); continue }
        expect("]")
        break
    }
}

function skip_value() {
    if (TT == "str" || TT == "num" || TT == "lit") { lex(); return }
    if (TT == "[") {
        lex()
        if (TT == "]") { lex(); return }
        while (1) { skip_value(); if (TT == ",") { lex(); continue }; expect("]"); return }
    }
    if (TT == "{") {
        lex()
        if (TT == "}") { lex(); return }
        while (1) {
            if (TT != "str") fail("not JSON: expected a key but found " describe() " at character " POS)
            lex(); expect(":"); skip_value()
            if (TT == ",") { lex(); continue }
            expect("}"); return
        }
    }
    fail("not JSON: expected a value but found " describe() " at character " POS)
}

# ---- checks ------------------------------------------------------------------------------------

function integer_field(i, key, min, max,   v) {
    v = FIELD[i, key]
    if (TYPE[i, key] != "num" || v !~ /^[0-9]+$/ || v + 0 < min || v + 0 > max)
        fail("agent " NAME[i] ": " key " must be an integer from " min " to " max ", found " (TYPE[i, key] == "" ? "nothing" : TYPE[i, key] == "str" ? "the string \"" v "\"" : v))
    return v + 0
}

function check_agents(   i, j, dep, p, who) {
    for (i = 1; i <= N; i++) {
        NAME[i] = FIELD[i, "name"]
        # Names become directory names and log words: keep them to what the topology schema allows.
        if (TYPE[i, "name"] != "str" || NAME[i] !~ /^[A-Za-z0-9][A-Za-z0-9_.-]*$/)
            fail("agent " i ": name must be a string of letters, digits, '.', '_' or '-', found " (TYPE[i, "name"] == "" ? "nothing" : "'" NAME[i] "'"))
        if (NAME[i] in INDEX) fail("agent " NAME[i] " is listed twice")
        INDEX[NAME[i]] = i
    }
    for (i = 1; i <= N; i++) {
        PORT[i] = integer_field(i, "port", 1, 65535)
        HEALTH[i] = integer_field(i, "healthPort", 1, 65535)
        ORDER[i] = (i, "startupOrder") in TYPE ? integer_field(i, "startupOrder", 1, 1000000) : 1
        DNS[i] = (i, "dnsName") in TYPE ? FIELD[i, "dnsName"] : tolower(NAME[i])
        if (DNS[i] !~ /^[A-Za-z0-9][A-Za-z0-9.-]*$/) fail("agent " NAME[i] ": dnsName '" DNS[i] "' is not a DNS name")
        # Both ports are bound in one container: a clash would make one listener die at start.
        for (p = 0; p < 2; p++) {
            who = p ? HEALTH[i] : PORT[i]
            if (who in BOUND) fail("port " who " is used by " (BOUND[who] == NAME[i] ? NAME[i] " twice" : BOUND[who] " and by " NAME[i]))
            BOUND[who] = NAME[i]
        }
        for (j = 1; j <= NDEPS[i]; j++) {
            dep = DEP[i, j]
            if (!(dep in INDEX)) fail("agent " NAME[i] " depends on " dep ", which is not in the manifest")
        }
    }
}

# Every dependency starts at a lower level (which also rules out a cycle and a self-dependency).
function check_order(   i, j, d) {
    for (i = 1; i <= N; i++)
        for (j = 1; j <= NDEPS[i]; j++) {
            d = INDEX[DEP[i, j]]
            if (ORDER[d] >= ORDER[i])
                fail("agent " NAME[i] " has startupOrder " ORDER[i] " but depends on " NAME[d] ", which starts at " ORDER[d] ": a dependency must start first")
        }
}

# Stable insertion sort by level: agents of one level keep the manifest's order.
function print_in_order(   i, j, k, deps, sorted) {
    for (i = 1; i <= N; i++) {
        for (j = i - 1; j >= 1 && ORDER[sorted[j]] > ORDER[i]; j--) sorted[j + 1] = sorted[j]
        sorted[j + 1] = i
    }
    for (k = 1; k <= N; k++) {
        i = sorted[k]; deps = ""
        for (j = 1; j <= NDEPS[i]; j++) deps = deps (j > 1 ? "," : "") DEP[i, j]
        printf "%d|%s|%d|%d|%s|%s\n", ORDER[i], NAME[i], PORT[i], HEALTH[i], DNS[i], deps == "" ? "-" : deps
    }
}
