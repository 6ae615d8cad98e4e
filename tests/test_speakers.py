"""Speakers resolved to who they are, and what counts as a quote (synthetic articles)."""

from __future__ import annotations

from wiretrace.claims import quote_patterns as qp
from wiretrace.claims.found import Quote
from wiretrace.claims.quotes import find_attributions, find_quotes
from wiretrace.claims.speakers import Resolver, trim_fragment
from wiretrace.doc.article import Article


def _quotes(text: str) -> list[Quote]:
    return find_quotes(Article.create(text))


def test_pronoun_is_the_person_not_a_street_or_a_heading() -> None:
    text = (
        "Darva Quill has run the shelter on Marrow Street for ten years.\n\n"
        "READ MORE\n\n"
        "Quill said she started the shelter after a flood destroyed her house.\n\n"
        "“We never turn anyone away,” she said outside Hollin Street Hall."
    )
    quotes = _quotes(text)
    assert [q.speaker for q in quotes] == ["Quill", "she"]
    assert [q.speaker_resolved for q in quotes] == ["Darva Quill", "Darva Quill"]


def test_pronoun_gender_skips_the_last_speaker_of_the_other_gender() -> None:
    text = (
        "Mr. Tobin Erskell, the harbour master, said the pier would reopen.\n\n"
        "Councillor Mira Vance said she doubted it. “The pier is rotten,” she said.\n\n"
        "Erskell disagreed. “It will hold another winter,” he said."
    )
    quotes = _quotes(text)
    by_content = {q.content.strip("“”,"): q.speaker_resolved for q in quotes}
    assert by_content["The pier is rotten"] == "Mira Vance"
    assert by_content["It will hold another winter"] == "Tobin Erskell"


def test_role_and_age_descriptions_resolve_to_the_named_person() -> None:
    text = (
        "Education Minister Oren Falk visited the school on Monday.\n\n"
        "The minister said new classrooms would be built by spring.\n\n"
        "Pia Lorne, 34, teaches there. The 34-year-old said the roof still leaks."
    )
    quotes = _quotes(text)
    assert [(q.speaker, q.speaker_resolved) for q in quotes] == [
        ("The minister", "Oren Falk"),
        ("The 34-year-old", "Pia Lorne"),
    ]


def test_nothing_fits_keeps_the_speaker_as_written_and_resolved_null() -> None:
    quotes = _quotes("The rain kept falling. “The river is rising,” she said.")
    assert quotes[0].speaker == "she"
    assert quotes[0].speaker_resolved is None


def test_pronouns_they_and_it_resolve_to_the_organisation() -> None:
    text = (
        "The Kessel Water Board said the reservoir was full.\n\n"
        "It said the dam had been inspected in March."
    )
    quotes = _quotes(text)
    assert quotes[-1].speaker == "It"
    assert quotes[-1].speaker_resolved == "Kessel Water Board"


def test_surname_alone_is_the_full_name_and_acronym_its_definition() -> None:
    text = (
        "Ravi Ostrander of the Coastal Fisheries Agency (CFA) spoke in Tolm.\n\n"
        "Ostrander said the catch had halved. The CFA said quotas would fall."
    )
    quotes = _quotes(text)
    assert [q.speaker_resolved for q in quotes] == [
        "Ravi Ostrander",
        "Coastal Fisheries Agency",
    ]


def test_paragraph_of_quotation_without_attribution_is_the_last_speakers() -> None:
    text = (
        "“We lost the whole harvest,” said farmer Ulla Brandt.\n\n"
        "“Nobody came to help us for three weeks.”\n\n"
        "The county has promised a relief fund."
    )
    quotes = _quotes(text)
    assert len(quotes) == 2
    assert quotes[1].continued and quotes[1].speaker is None
    assert quotes[1].speaker_resolved == "Ulla Brandt"


def test_quoted_titles_are_not_quotes() -> None:
    text = (
        "The film “The Boy Who Would Be Mayor” opens in Tolm on Friday.\n\n“The Last Ferry Home.”"
    )
    assert _quotes(text) == []


def test_beliefs_plans_and_findings_are_attributions_not_quotes() -> None:
    text = (
        "Mayor Ida Roon believes that the pier will be rebuilt by May. "
        "The fishermen refused to move the market to the north quay. "
        "A study by the Tolm Institute found that catches fell by half. "
        "Roon said the town would pay for the repairs."
    )
    article = Article.create(text)
    kinds = {q.cue: q.kind for q in find_attributions(article)}
    assert kinds == {"believes": "belief", "refused": "plan", "found": "finding", "said": "speech"}
    assert [q.cue for q in find_quotes(article)] == ["said"]


def test_cue_words_that_are_not_attributions() -> None:
    text = (
        "The clinic did not respond to calls on Monday.\n\n"
        "The index added 0.4 per cent in early trading.\n\n"
        "Volunteers started a campaign called Dry Feet.\n\n"
        "Harbour chief says ferries will run again\n\n"
        "Tolm has 12 member states in its league."
    )
    assert find_attributions(Article.create(text)) == []


def test_sentence_fragment_is_not_a_speaker() -> None:
    text = "It’s something she said she would never forget."
    s = text.index("It’s")
    assert text[slice(*trim_fragment(text, (s, text.index(" said"))))] == "she"
    text = "Anton Pell protested the levy, saying it would ruin the harbour."
    quotes = _quotes(text)
    assert quotes[0].speaker == "Anton Pell"


def test_resolver_never_returns_a_heading_or_a_place() -> None:
    text = "WATCH LIVE\n\nRiver Road is closed. Hollin Bay is flooded. “Stay home,” he said."
    resolver = Resolver(text)
    assert resolver.resolve("he", "he", text.index("he said")) is None


def test_lower_case_role_before_an_inverted_speaker() -> None:
    text = "“The wells are dry,” said oil and gas worker Ulla Brandt. “We have waited a year.”"
    first, second = _quotes(text)
    assert first.speaker == "Ulla Brandt" and first.role == "oil and gas worker"
    assert second.continued and second.speaker_resolved == "Ulla Brandt"


def test_a_person_brought_in_by_the_sentence_before_is_who_speaks_next() -> None:
    text = (
        "Tobin Erskell, the harbour master, said the pier would reopen in May.\n\n"
        "Garrow Lind of the Dockers Guild turned out to watch the repairs.\n\n"
        "“Nobody asked us what we need,” he said. “We load these boats every day.”\n\n"
        "Wenna Stroud did not need much persuading either.\n\n"
        "“I have waited three years for this.”"
    )
    quotes = _quotes(text)
    by_content = {q.content.strip("“”,."): q.speaker_resolved for q in quotes}
    assert by_content["Nobody asked us what we need"] == "Garrow Lind"
    assert by_content["We load these boats every day"] == "Garrow Lind"
    assert by_content["I have waited three years for this"] == "Wenna Stroud"


def test_a_name_two_people_share_is_the_one_named_last() -> None:
    text = (
        "Kwon Sun-ho met Kwon Dae-jin in Orlan on Tuesday.\n\n"
        "Kwon Dae-jin said the talks were long. Kwon said in his speech he was ready to sign.\n\n"
        "But he warned that he may walk away if the tariffs stayed."
    )
    quotes = _quotes(text)
    assert [q.speaker for q in quotes] == ["Kwon Dae-jin", "Kwon", "he"]
    assert [q.speaker_resolved for q in quotes] == ["Kwon Dae-jin"] * 3


def test_a_closing_said_governs_the_sentence_and_a_bare_continued_is_no_cue() -> None:
    text = (
        "The flooding on Lake Orin also explains the closures upriver, Hessa Marr said.\n\n"
        "Prices will rise if the drought and the pressure on the farms continued."
    )
    quotes = _quotes(text)
    assert [(q.speaker, q.cue) for q in quotes] == [("Hessa Marr", "said")]
    assert quotes[0].content == "The flooding on Lake Orin also explains the closures upriver"


def test_group_and_acronym_descriptions_resolve_to_the_organisation() -> None:
    text = (
        "Tarn Valley Watch, the group that organised the march, said it had hundreds of letters."
        "\n\nThe group says farmers and hikers were never consulted.\n\n"
        "The Harbour Safety Board released its review on Thursday.\n\n"
        "The HSB said the pier must close."
    )
    quotes = _quotes(text)
    assert [q.speaker_resolved for q in quotes] == [
        "Tarn Valley Watch",
        "Tarn Valley Watch",
        "Harbour Safety Board",
    ]


def test_descriptions_titles_and_capitalised_roles_around_a_name() -> None:
    text = (
        "Congressman Tavi Roon said the bill was dead.\n\n"
        "Senator Ona Kell met farmers in Orlan on Friday.\n\n"
        "The more cautious Kell said the vote could wait.\n\n"
        '"It is hard to dispute," said Liberal pollster Bram Vey. "Nobody expected it."\n\n'
        "Ilse Marr came from Dunmore to the rally. In Orlan, Marr sold water to the marchers.\n\n"
        '"They were thirsty all day," she said.\n\n'
        "On Friday, the Party of Orlan said it would hold a vote."
    )
    by_content = {q.content.strip('“”",.'): q.speaker_resolved for q in _quotes(text)}
    assert by_content["the bill was dead"] == "Tavi Roon"
    assert by_content["the vote could wait"] == "Ona Kell"
    assert by_content["It is hard to dispute"] == "Bram Vey"
    assert by_content["Nobody expected it"] == "Bram Vey"
    assert by_content["They were thirsty all day"] == "Ilse Marr"
    assert by_content["it would hold a vote"] == "Party of Orlan"


def test_a_party_description_and_a_name_inside_a_long_source() -> None:
    text = (
        "Senator Ilva Tresk opened the hearing on Monday.\n\n"
        "“We need every record,” said Tresk.\n\n"
        "The Orlan Republican said the agency had stalled for months.\n\n"
        "The prize-winning Dunmore novelist Ines Ruda, one of the signers, told an audience "
        "that the letter was only a start."
    )
    by_content = {q.content.strip('“”",.'): q.speaker_resolved for q in _quotes(text)}
    assert by_content["the agency had stalled for months"] == "Ilva Tresk"
    assert by_content["that the letter was only a start"] == "Ines Ruda"


def test_a_name_with_its_union_a_possessive_statement_and_a_described_group() -> None:
    text = (
        "Tia Renn with the Harbour Workers Union, which represents dockers, said the cranes are "
        "unsafe.\n\n"
        "Minister Ola Brandt spoke on Tuesday. Her statement said the cranes were inspected.\n\n"
        "Tarn Valley Watch, the group that organised the march, said it had many letters.\n\n"
        "The group that organised the march returned in May."
    )
    by_content = {q.content.strip('“”",.'): q for q in _quotes(text)}
    renn = by_content["the cranes are unsafe"]
    assert renn.speaker == "Tia Renn" and renn.speaker_resolved == "Tia Renn"
    assert by_content["the cranes were inspected"].speaker_resolved == "Ola Brandt"
    described = "The group that organised the march"
    at = text.index(described)
    assert Resolver(text).resolve(described, described, at) == "Tarn Valley Watch"


def test_titles_keep_a_surname_ending_in_s_and_a_sentence_does_not_end_at_mr() -> None:
    assert qp.canonical("Mr. Orsons") == "Orsons"
    assert qp.canonical("Mr. Orsons's") == "Orsons"
    text = (
        "Dale Orsons runs the ferry company.\n\n"
        "In a letter, Mr. Orsons said his tie to Mr. Ruddock was only about boats. "
        "“I had to deal with every harbour board,” he wrote."
    )
    quotes = _quotes(text)
    assert [q.speaker_resolved for q in quotes] == ["Dale Orsons", "Dale Orsons"]


def test_a_pronoun_inside_a_clause_is_its_subject_and_a_role_before_a_name_opens() -> None:
    text = (
        "“We start on the ferry soon,” said Mr. Ivo Tarrant.\n\n"
        "Harbour Authority spokesperson Dov Pellan gave no figures for the repairs. But he "
        "said more would be “released when the divers report.”\n\n"
        "“It is a fair price,” said Ms. Ada Crane.\n\n"
        "The plan was generous and Bea Marsh was plainly worried when she said the cost was "
        "“far too high.”\n\n"
        "“The crossing is safe,” said Mr. Dov Pellan. Olek Brann, he said, “knows the harbour.”"
    )
    quotes = _quotes(text)
    by_content = {q.content.split("“")[-1][:8]: q.speaker_resolved for q in quotes}
    assert by_content["released"] == "Dov Pellan"
    assert by_content["far too "] == "Bea Marsh"
    # 'Olek Brann, he said, ...': the name before the comma is what the speaker talks about.
    assert by_content["knows th"] == "Dov Pellan"


def test_a_second_speaker_after_but_is_their_own_and_the_next_quotation_continues_them() -> None:
    text = (
        "According to the Ferry Board, the crossing runs on time in most weeks but Ulla Venn "
        "says that is not what riders see.\n\n"
        "“Some mornings the boat leaves forty minutes late.”"
    )
    quotes = _quotes(text)
    assert [q.speaker_resolved for q in quotes] == ["Ferry Board", "Ulla Venn", "Ulla Venn"]
    assert quotes[0].content.endswith("most weeks")


def test_speaker_without_a_date_before_it_a_dashed_apposition_or_an_adverb() -> None:
    text = (
        "On Tuesday Marta Ivanko, the mayor of Dunmere, spoke to reporters. "
        "“We will rebuild the bridge by spring,” she said.\n\n"
        "Tuesday Olek Brann said the bridge would open in spring.\n\n"
        "Pia Sorrel - a former nurse - said the clinic would stay open.\n\n"
        "The most famous baker in Dunmere finally said the ovens were cold."
    )
    quotes = _quotes(text)
    assert [q.speaker for q in quotes] == [
        "she",
        "Olek Brann",
        "Pia Sorrel",
        "The most famous baker in Dunmere",
    ]
    assert [q.speaker_resolved for q in quotes][:3] == ["Marta Ivanko", "Olek Brann", "Pia Sorrel"]


def test_names_before_words_opening_in_de_titles_and_a_relative_clause_in_the_source() -> None:
    text = (
        "Premier Olek Brann defended the budget. The premier said it “protects families.”\n\n"
        "Sen. Ivo Tarrant of Lowmarsh spoke next. “We must act,” the senator said.\n\n"
        "Pia Sorrel, whose son was hurt, said the town “must act.”\n\n"
        "“We are asking for help,” Cpl. Tia Renn said in a release."
    )
    quotes = _quotes(text)
    assert [q.speaker_resolved for q in quotes] == [
        "Olek Brann",
        "Ivo Tarrant",
        "Pia Sorrel",
        "Tia Renn",
    ]


def test_described_speakers_and_a_body_named_before() -> None:
    text = (
        "Ada Crane lives on Marrow Street. The Dunmere resident said the noise “never stops.”\n\n"
        "Kessel Health said the product was recalled. The agency said it “poses a risk.”\n\n"
        "“Nobody told us,” said one resident, Una Pell.\n\n"
        "“We did our job,” said forward Ria Dunn.\n\n"
        "Ola Fenn (pictured) said she “will not resign.”\n\n"
        "“We will go on,” Harry J. Vask, director of studies at the U.S.-based Centre for "
        "Policy, said in an e-mailed statement."
    )
    quotes = _quotes(text)
    assert [q.speaker_resolved for q in quotes] == [
        "Ada Crane",
        "Kessel Health",
        "Kessel Health",
        "Una Pell",
        "Ria Dunn",
        "Ola Fenn",
        "Harry J. Vask",
    ]
    assert quotes[-1].cue == "said in an e-mailed statement"


def test_a_resolved_pronoun_gives_its_person_a_gender_for_later_pronouns() -> None:
    text = (
        "Ada Crane said the ferry was late. Olek Brann, the captain, blamed the fog. "
        "“We could not see the pier,” he said. “It was like soup,” she said.\n\n"
        "Una Pell, 41, says the rent doubled. “I cannot pay this,” the mother of two said."
    )
    quotes = _quotes(text)
    assert [q.speaker_resolved for q in quotes] == [
        "Ada Crane",
        "Olek Brann",
        "Ada Crane",
        "Una Pell",
        "Una Pell",
    ]


def test_documents_resolve_to_their_author_and_who_to_the_name_it_hangs_on() -> None:
    study = _quotes(
        "A new study by the Kessel Institute looked at rents. Rents rose 9 per cent, "
        "according to the study."
    )
    assert [q.speaker_resolved for q in study] == ["Kessel Institute"]
    tweet = _quotes(
        "The Dock Workers Union posts warnings online. “We are short of crews,” the union "
        "said. A tweet last week said that no crews were free."
    )
    assert [q.speaker_resolved for q in tweet] == ["Dock Workers Union"] * 2
    who = _quotes(
        "Fans cheered for Ula Nask all night. The crowd watched a win by Nask, the champion "
        "who says she “never loses at home.”"
    )
    assert [(q.speaker, q.speaker_resolved) for q in who] == [("who", "Ula Nask")]


def test_a_name_after_the_is_a_modifier_not_the_subject_of_the_clause() -> None:
    # 'The Vellacourt papers have ..., he said': Vellacourt modifies 'papers'; the 'he' is
    # the man who opened the sentence before.
    text = (
        "Fenn Vellacourt, the publisher, said on Monday that he would buy two more weeklies.\n\n"
        "Odran Teske, who runs a small press in the valley, said his readers wanted local news.\n\n"
        "The Vellacourt papers have been buying up small titles for years, he said, and "
        "closing them within a season."
    )
    quotes = _quotes(text)
    by_content = {q.content.split()[0]: q.speaker_resolved for q in quotes}
    assert by_content["The"] == "Odran Teske"


def test_a_person_after_a_long_opening_clause_is_who_speaks_next() -> None:
    # The sentence before the quote opens with a long adverbial clause, then the person.
    text = (
        "Councillor Bram Tolley said the ferry schedule would not change this winter.\n\n"
        "After spending most of the morning walking the flooded lanes behind the old cannery, "
        'Wenna Praed stopped at the harbour office. "Nobody has told us when the pumps will '
        'come," she said.'
    )
    quotes = _quotes(text)
    assert [q.speaker_resolved for q in quotes] == ["Bram Tolley", "Wenna Praed"]
