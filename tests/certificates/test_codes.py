import math

from certificates.codes import ALPHABET, LENGTH, generate_code, normalise_code


def test_codes_carry_at_least_60_random_bits():
    assert LENGTH * math.log2(len(ALPHABET)) >= 60


def test_codes_never_use_confusable_symbols():
    symbols = set("".join(generate_code()[4:] for _ in range(200)).replace("-", ""))
    assert not symbols & set("0O1IL")


def test_codes_are_grouped_behind_the_prefix():
    code = generate_code()
    assert code.startswith("RLX-")
    assert [len(g) for g in code.split("-")] == [3, 4, 4, 4, 4]


def test_generated_codes_differ():
    assert len({generate_code() for _ in range(1000)}) == 1000


def test_a_code_typed_in_lower_case_without_dashes_normalises():
    code = generate_code()
    assert normalise_code(code.lower().replace("-", "")) == code


def test_a_code_typed_with_spaces_and_without_prefix_normalises():
    code = generate_code()
    assert normalise_code("  " + code[4:].replace("-", " ") + " ") == code


def test_a_code_with_a_forbidden_letter_is_not_a_code():
    assert normalise_code("RLX-OOOO-AAAA-BBBB-CCCC") is None


def test_a_code_of_the_wrong_length_is_not_a_code():
    assert normalise_code("RLX-AAAA-BBBB-CCCC") is None
