#!/bin/bash
# The agreements aupctl ships (forms/): index.ini lists exactly the
# product's seven forms, each with every key and a valid value, in the
# plain form iniparser reads; each text is clean UTF-8 of at most 72
# columns that starts with its title.
. "$(dirname "$0")/test-lib.sh"

FORMS=$AUPCTL_SRCDIR/forms
INDEX=$FORMS/index.ini
FORM_KEYS="version title kind roles key_stages signer renew file"

# index.ini as iniparser reads it, but stricter: blank lines, comment lines
# (; or #), [id] and key = value, nothing else, and no comment after a
# value. Writes the ids in order to ids and "id<TAB>key<TAB>value" to
# keys.tsv; says which lines it could not read.
forms_parse() {
	awk -v OFS='\t' '
	/^[ \t]*$/ || /^[ \t]*[;#]/ { next }
	/^\[[a-z0-9-]+\][ \t]*$/ {
		id = $0
		sub(/^\[/, "", id)
		sub(/\][ \t]*$/, "", id)
		print id >"ids"
		next
	}
	/^[a-z_]+[ \t]*=/ && id != "" {
		key = $0
		sub(/[ \t]*=.*/, "", key)
		value = $0
		sub(/^[^=]*=[ \t]*/, "", value)
		sub(/[ \t]+$/, "", value)
		if (value ~ /[;#]/ || value ~ /^["\047]/) {
			printf "line %d: a value with ; # or a quote: %s\n",
			    NR, $0
			bad = 1
		}
		print id, key, value >"keys.tsv"
		next
	}
	{ printf "line %d: not [id] or key = value: %s\n", NR, $0; bad = 1 }
	END { exit bad }' "$INDEX"
}

# forms_load: keys.tsv into FORM[ID/KEY], the key's value, and
# FORM_N[ID/KEY], how many times the form has the key.
forms_load() {
	local id key value
	declare -gA FORM=() FORM_N=()
	while IFS=$'\t' read -r id key value; do
		FORM[$id/$key]=$value
		FORM_N[$id/$key]=$((${FORM_N[$id/$key]:-0} + 1))
	done <keys.tsv
}

# form_get ID KEY: the key's value, nothing when the key is missing.
form_get() {
	printf '%s\n' "${FORM[$1/$2]-}"
}

# in_list WORD LIST: WORD is one of the space-separated LIST.
in_list() {
	case " $2 " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# check_list ID KEY ALLOWED: the key's value is a comma-separated list of
# words from ALLOWED, none twice.
check_list() {
	local seen= list=${FORM[$1/$2]-} w
	list=${list//,/ }
	if [ -z "$list" ]; then
		echo "[$1] $2 is empty"
		return 1
	fi
	for w in $list; do
		if ! in_list "$w" "$3"; then
			echo "[$1] $2: $w is not one of: $3"
			return 1
		fi
		if in_list "$w" "$seen"; then
			echo "[$1] $2: $w twice"
			return 1
		fi
		seen="$seen $w"
	done
}

# Every form: each required key once, key_stages at most once and only
# with pupils, no other key, and valid values.
forms_check_keys() {
	local bad=0 id key value n roles
	while IFS=$'\t' read -r id key value; do
		in_list "$key" "$FORM_KEYS" ||
			{ echo "[$id] unknown key $key"; bad=1; }
	done <keys.tsv
	while read -r id; do
		for key in $FORM_KEYS; do
			n=${FORM_N[$id/$key]:-0}
			case $key:$n in
			key_stages:0 | *:1) ;;
			*) echo "[$id] has $key $n times"; bad=1 ;;
			esac
		done
		[[ ${FORM[$id/version]-} =~ ^[1-9][0-9]*$ ]] ||
			{ echo "[$id] version is not a whole number from 1"; bad=1; }
		in_list "${FORM[$id/signer]-}" "self parent self+parent" ||
			{ echo "[$id] signer is not self, parent or self+parent"; bad=1; }
		in_list "${FORM[$id/kind]-}" "agreement consent" ||
			{ echo "[$id] kind is not agreement or consent"; bad=1; }
		in_list "${FORM[$id/renew]-}" "annual once" ||
			{ echo "[$id] renew is not annual or once"; bad=1; }
		check_list "$id" roles \
			"pupil staff governor volunteer visitor class" || bad=1
		if [ -n "${FORM[$id/key_stages]-}" ]; then
			check_list "$id" key_stages "EYFS KS1 KS2 KS3 KS4 KS5" ||
				bad=1
			roles=${FORM[$id/roles]-}
			in_list pupil "${roles//,/ }" ||
				{ echo "[$id] key_stages without pupils"; bad=1; }
		fi
		[ -n "${FORM[$id/title]-}" ] ||
			{ echo "[$id] has an empty title"; bad=1; }
	done <ids
	return $bad
}

# form_check_text ID: the form's file is in forms/, valid UTF-8, lines of
# at most 72 characters, no tab, no carriage return, no trailing space,
# ending in one newline; its first line is the title, then a one-line note
# of who reads and signs it, then a blank line.
form_check_text() {
	local bad=0 file=${FORM[$1/file]-} f width
	case $file in
	"" | .* | */*) echo "[$1] file is not a name in forms/: $file"
		return 1 ;;
	esac
	f=$FORMS/$file
	if ! [ -f "$f" ] || ! [ -s "$f" ]; then
		echo "[$1] $file is missing or empty"
		return 1
	fi
	iconv -f UTF-8 -t UTF-8 "$f" >/dev/null ||
		{ echo "$file: not valid UTF-8"; bad=1; }
	width=$(LC_ALL=C.UTF-8 wc -L <"$f")
	if [ "$width" -gt 72 ]; then
		echo "$file: lines over 72 columns:"
		LC_ALL=C.UTF-8 grep -nE '^.{73,}' "$f"
		bad=1
	fi
	! grep -n "$(printf '\t')" "$f" || { echo "$file: tabs"; bad=1; }
	! grep -n "$(printf '\r')" "$f" ||
		{ echo "$file: carriage returns"; bad=1; }
	! grep -nE ' +$' "$f" || { echo "$file: trailing spaces"; bad=1; }
	[ -z "$(tail -c 1 "$f")" ] ||
		{ echo "$file: does not end with a newline"; bad=1; }
	tail -n 1 "$f" | grep -q '[^ ]' ||
		{ echo "$file: ends with a blank line"; bad=1; }
	[ "$(head -n 1 "$f")" = "${FORM[$1/title]-}" ] ||
		{ echo "$file: the first line is not the title"; bad=1; }
	sed -n 2p "$f" | grep -q '[^ ]' ||
		{ echo "$file: no note under the title"; bad=1; }
	! sed -n 3p "$f" | grep -q . ||
		{ echo "$file: the note is more than one line"; bad=1; }
	return $bad
}

test_expect_success 'index.ini: comments, [id] sections, key = value' '
	test -f "$INDEX" &&
	forms_parse &&
	test -s ids && test -s keys.tsv
'

test_expect_success 'exactly the seven forms ship, each once' '
	printf "%s\n" governor parent-consent pupil-early pupil-ks2 \
		pupil-secondary staff visitor >want &&
	sort ids >got &&
	test_cmp want got
'

test_expect_success 'every form has its keys, with valid values' '
	forms_load &&
	forms_check_keys
'

test_expect_success 'every text is plain UTF-8, 72 columns, under its title' '
	forms_load &&
	failed=0 &&
	while read -r id; do
		form_check_text "$id" || failed=1
	done <ids &&
	test $failed = 0
'

test_expect_success 'who each form is for, who signs it and how often' '
	cat >want <<-\EOF &&
	governor agreement governor - self annual
	parent-consent consent pupil - parent annual
	pupil-early agreement pupil EYFS,KS1 parent annual
	pupil-ks2 agreement pupil KS2 self+parent annual
	pupil-secondary agreement pupil KS3,KS4,KS5 self annual
	staff agreement staff,volunteer - self annual
	visitor agreement visitor - self once
	EOF
	forms_load &&
	sort ids | while read -r id; do
		ks=$(form_get "$id" key_stages | tr -d " ") &&
		echo "$id $(form_get "$id" kind) $(form_get "$id" roles | tr -d " ")" \
			"${ks:--} $(form_get "$id" signer)" \
			"$(form_get "$id" renew)" || exit 1
	done >got &&
	test_cmp want got
'

test_expect_success 'forms/README says how to bring your own and to version' '
	grep -q "\[aup\]" "$FORMS/README" &&
	grep -qi "version" "$FORMS/README"
'

test_done
