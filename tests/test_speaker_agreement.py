"""Who a pronoun or a description stands for: people only, by the evidence the article gives
(synthetic articles, invented names and places)."""

from __future__ import annotations

from wiretrace.claims.cast import Cast
from wiretrace.claims.found import Quote
from wiretrace.claims.quotes import find_quotes
from wiretrace.doc.article import Article


def _quotes(text: str) -> list[Quote]:
    return find_quotes(Article.create(text), tagger=False)


def test_a_team_after_the_is_not_a_person_and_a_surname_with_a_clause_confirms_one() -> None:
    # 'The Kessel Rovers have ...' is a team; 'Brevik, who ...' says the 'Tomas Brevik' given
    # first with nothing beside it is a person, so the later 'He' is him.
    text = (
        "The Kessel Rovers have signed Tomas Brevik from the Orlan Otters.\n\n"
        "Brevik, who played nine seasons in Orlan, is a two-time all-star.\n\n"
        "Last summer, Brevik cooked at a shelter in Dunmore. A photo showed Brevik serving "
        "meals. He wrote on his blog, “Nobody should sleep outside in winter.”"
    )
    cast = Cast(text)
    assert "Kessel Rovers" not in cast.people
    assert "Tomas Brevik" in cast.people
    assert [q.speaker_resolved for q in _quotes(text)] == ["Tomas Brevik"]


def test_an_apposition_that_is_no_person_does_not_make_one() -> None:
    text = (
        "Golfers arrive at Marrow Links, the host site of the Kessel Open, on Monday. "
        "Ferry Board, a non-partisan civic engagement group, met on Tuesday. "
        "Ada Crane, a retired teacher, watched. Olek Brann, 41, and Una Pell, who farms, too."
    )
    people = Cast(text).people
    assert "Marrow Links" not in people and "Ferry Board" not in people
    assert {"Ada Crane", "Olek Brann", "Una Pell"} <= set(people)


def test_a_surname_of_two_words_is_the_full_name_first_given() -> None:
    # 'For Samira Al Fahd ...' gives the name with no evidence; 'Al Fahd is ...' later is her,
    # and the 'she' of the quote between them has her as its antecedent.
    text = (
        "For Samira Al Fahd and many other newcomers, the wait is nearly over.\n\n"
        "“I am not a guest here any more,” she said at her home in Tolm.\n\n"
        "Al Fahd is among the 4,000 newcomers who came to Kessel in 2016."
    )
    cast = Cast(text)
    assert "Samira Al Fahd" in cast.people and "Al Fahd" not in cast.people
    assert [q.speaker_resolved for q in _quotes(text)] == ["Samira Al Fahd"]


def test_an_age_not_given_before_is_the_person_who_opened_the_sentence_before() -> None:
    text = (
        "Bram Tolley came to Dunmore from Orlan three years ago.\n\n"
        "Tolley found work at a boatyard after his first winter, a job he loves.\n\n"
        "The 32-year-old labourer says each day he learns new words from his crew."
    )
    quotes = _quotes(text)
    assert [(q.speaker, q.speaker_resolved) for q in quotes] == [
        ("The 32-year-old labourer", "Bram Tolley")
    ]


def test_a_body_is_never_a_group_of_people_or_a_document_that_spoke_before() -> None:
    # 'the ministry' with no ministry named: not the researchers quoted before, not a report.
    text = (
        "Public health and environmental researchers said food waste was rising.\n\n"
        "The Kessel Food Price Report said prices would climb four per cent.\n\n"
        "The ministry said families should plan their meals."
    )
    quotes = _quotes(text)
    assert quotes[-1].speaker == "The ministry"
    assert quotes[-1].speaker_resolved is None


def test_a_document_named_in_the_plural_or_ending_in_s_is_no_body_either() -> None:
    # 'Analysis' and 'Figures' end in s: a document's noun all the same, never 'the ministry'.
    for document in ("The Kessel Housing Analysis", "The Kessel Harbour Figures"):
        text = (
            f"{document} said rents would climb four per cent.\n\n"
            "The ministry said families should plan ahead."
        )
        quotes = _quotes(text)
        assert quotes[-1].speaker == "The ministry"
        assert quotes[-1].speaker_resolved is None, document


def test_a_surname_of_two_words_after_the_full_name_is_that_person() -> None:
    text = (
        "In Tolm, Rafiq Al Nouri, 49, and his wife are saving for the fees.\n\n"
        "Al Nouri was with his sister when the war began.\n\n"
        "“My studies come after my children,” he said."
    )
    cast = Cast(text)
    assert "Al Nouri" not in cast.people
    assert [q.speaker_resolved for q in _quotes(text)] == ["Rafiq Al Nouri"]


def test_a_short_parenthesis_after_a_name_is_not_the_speaker() -> None:
    text = (
        "Sen. Ola Brandt (R-Kes.) said the harbour bill was dead.\n\n"
        "Rep. Ivo Marrick (D-Orl.), chair of the Harbour Committee, said that the panel was "
        "“open to every view.”\n\n"
        "He said he was committed to the review. “We may disagree,” he added."
    )
    quotes = _quotes(text)
    assert [q.speaker for q in quotes] == ["Sen. Ola Brandt", "Rep. Ivo Marrick", "He", "he"]
    assert [q.speaker_resolved for q in quotes] == ["Ola Brandt"] + ["Ivo Marrick"] * 3


def test_a_given_name_says_the_gender_and_an_outlet_that_reported_is_no_person() -> None:
    # Nothing but the given names says who is a man and who a woman here; 'Kessel Daily
    # reported' is an outlet, never the 'he' of the next quote.
    text = (
        "Councillor Nancy Orrin met harbour worker Tim Valder on the pier on Monday.\n\n"
        "Councillor Orrin wants the pier closed. Valder wants it open.\n\n"
        "Dockside reported that the vote was delayed.\n\n"
        "“We need the pier every day,” he said. “It is not safe,” she said."
    )
    quotes = _quotes(text)
    by_content = {q.content.strip("“”,"): q.speaker_resolved for q in quotes}
    assert by_content["We need the pier every day"] == "Tim Valder"
    assert by_content["It is not safe"] == "Nancy Orrin"


def test_a_surname_of_two_words_as_a_speaker_is_the_full_name() -> None:
    text = (
        "Debra Wasserman Tate, the party chair, opened the meeting.\n\n"
        "Wasserman Tate said the vote would be held in May."
    )
    assert "Debra Wasserman Tate" in Cast(text).people  # 'the party chair': not a party
    assert [q.speaker_resolved for q in _quotes(text)] == ["Debra Wasserman Tate"]


def test_an_abbreviated_military_title_is_the_role_a_description_uses() -> None:
    text = (
        "Adm. Hale Vorsten commands the Kessel fleet.\n\n"
        "The admiral said the exercises would go on through the winter."
    )
    assert [q.speaker_resolved for q in _quotes(text)] == ["Hale Vorsten"]


def test_a_state_code_or_a_date_read_as_the_subject_is_no_speaker() -> None:
    # The rules read 'OH' (the state after the town) as the subject of 'said'; nobody by that
    # name speaks, so the quotation is not given to it.
    text = (
        "Gov. Ivo Tarrant spoke to farmers on Monday.\n\n"
        "At a rally in Berea, OH, after winning the primary, Gov. Ivo Tarrant (R-OH), said, "
        "“We are ready for the fall.”"
    )
    quotes = _quotes(text)
    assert quotes[-1].speaker != "OH"
    assert quotes[-1].speaker_resolved == "Ivo Tarrant"


def test_a_question_verb_a_job_or_a_party_before_a_name_is_not_part_of_it() -> None:
    text = (
        "Is Bram Tolley ready for the vote? Actor Ines Ruda thinks so.\n\n"
        "Republican Ola Penn said the vote would be close. “He has work to do,” she said."
    )
    people = Cast(text).people
    assert {"Bram Tolley", "Ines Ruda", "Ola Penn"} <= set(people)
    assert not {"Is Bram Tolley", "Actor Ines Ruda", "Republican Ola Penn"} & set(people)
    assert [q.speaker_resolved for q in _quotes(text)] == ["Ola Penn"] * 2


def test_a_description_of_a_body_is_the_body_named_with_its_words() -> None:
    text = (
        "The Kessel Budget Office published its forecast on Monday.\n\n"
        "The budget office said the deficit would fall by half."
    )
    assert [q.speaker_resolved for q in _quotes(text)] == ["Kessel Budget Office"]
