"""Which aspects of a film a sentence talks about (taxonomy of ``docs/ASPECTS.md``).

Detection is a curated term match with context rules:

1. every aspect has a list of terms (regular-expression fragments: single
   words, inflections and multi-word phrases), all joined into one compiled
   regular expression, longest phrases first, so one scan finds every mention
   (``director of photography`` is ``visuals``, not ``direction``;
   ``chewing the scenery`` is ``acting``, not ``visuals``);
2. a second expression lists the phrases where a term means something else
   (``cast doubt``, ``shot dead``, ``side effects``, ``in character``, ``I score
   it 8/10``, ``in the end``, ``funny how``...); a term match that overlaps
   one of them is dropped (``ASPECT_EXCLUSIONS`` drop one aspect only: ``an
   original story`` is fresh, not a comparison, but still about the story);
3. patterns on names and titles: a named person judged or cast "as" a role is
   ``acting``; "Fulci films" and quoted titles ("Zombi 2") are ``comparison``;
4. the rest of the review (:func:`review_context`) tells which quoted title
   is the review's own (no comparison) and which names are its actors.

Contrast is handled by :func:`split_clauses`: a sentence is cut at ``but``,
``although``, ``though``, ``whereas``, ``yet``, ``except``... so that each
aspect mention is judged on its own clause (see
:mod:`reelsense.analysis.aspect_model`).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reelsense.store.base import AspectPolarity

if TYPE_CHECKING:
    from reelsense.analysis.aspect_model import AspectModel

__all__ = [
    "ASPECTS",
    "AspectSentiment",
    "Mention",
    "ReviewContext",
    "SentenceAspects",
    "analyze_sentences",
    "detect_aspects",
    "find_mentions",
    "review_context",
    "split_clauses",
]

ASPECTS: tuple[str, ...] = (
    "acting",
    "story",
    "characters",
    "direction",
    "script",
    "music",
    "visuals",
    "pacing",
    "ending",
    "humour",
    "violence",
    "effects",
    "comparison",
)

# Adverbs that judge how something was made ("beautifully shot", "well acted").
_HOW = (
    r"(?:beautifully|well|nicely|poorly|badly|brilliantly|wonderfully|gorgeously|expertly"
    r"|competently|stunningly|artfully|cheaply|superbly|lovingly|skillfully|skilfully"
    r"|magnificently|amateurishly|atrociously|horribly|terribly|perfectly|masterfully"
    r"|excellently|handsomely|professionally|effectively|ineptly|sloppily|greatly)"
)

# aspect -> regular-expression fragments; each is matched as a whole word.
TERMS: dict[str, tuple[str, ...]] = {
    "acting": (
        r"acting", r"acted", r"over-?act(?:s|ed|ing)?", r"under-?act(?:s|ed|ing)?",
        r"actors?", r"actress(?:es)?", r"performances?", r"performers?",
        _HOW + r" performed", r"performed by", r"cast", r"mannerisms", r"hammed(?: it)? up",
        r"does an? (?:\w+ )?(?:job|turn)", r"did an? (?:\w+ )?(?:job|turn)", r"casting",
        r"miscast", r"cast members?",
        r"ensemble", r"portray(?:s|ed|al|als|ing)?", r"played by",
        r"plays? (?:the|a|an) (?:role|part)",
        r"roles?", r"thespians?", r"co-?stars?", r"stars? as",
        r"(?:is|was|are|were) (?:\w+ )?(?:great|excellent|superb|brilliant|wonderful|terrible"
        r"|awful|convincing|believable|fine|good|bad|perfect|wooden|outstanding) as",
        r"chew(?:s|ed|ing)? (?:up )?the scenery", r"scenery[- ]chewing", r"wooden",
        r"on-?screen chemistry", r"chemistry", r"deliver(?:s|ed|y)", r"line delivery",
        r"child actors?", r"supporting actors?", r"lead actors?", r"leads",
        r"emot(?:es|ing)", r"hammy", r"ham-?fisted acting", r"oscar[- ]worthy",
        r"(?:does|did|do) (?:\w+ )?(?:well|fine|nicely|nice work|good work|great work) as",
        r"(?:is|was|are|were) (?:\w+ )?wasted", r"slumming", r"accents?", r"auditioned",
        r"casting choices?", r"interpretation", r"voice[- ]?(?:over )?work", r"voice acting",
        r"cameos?", r"screen presence", r"comic timing", r"shines", r"talented",
        r"(?:plays|played|playing) (?:the|a|an|his|her) (?!part in\b|role in\b|game\b|card\b)",
        r"(?:do|does|did) (?:\w+ ){0,2}(?:nice|good|great|fine|excellent|solid|terrific|poor|bad"
        r"|terrible|decent|credible|amazing|wonderful) work", r"carry the (?:part|role|film|movie)",
    ),
    "story": (
        r"story", r"stories", r"story[- ]?lines?", r"plot", r"plots", r"plotting",
        r"plot-?lines?", r"subplots?", r"sub-plots?", r"premise", r"narratives?",
        r"storytelling", r"story-?telling", r"twists?", r"plot holes?", r"plot twists?",
        r"tale", r"scenario", r"concept", r"predictable", r"unpredictable", r"far-?fetched",
        r"convoluted", r"makes? no sense", r"made no sense", r"plausib(?:le|ility)",
        r"implausib(?:le|ility)", r"clich(?:e|é)d? plot",
        r"inconsistenc(?:y|ies)", r"logical", r"illogical", r"logic", r"confusing", r"mythology",
        r"world-?building", r"allegor(?:y|ical)", r"suspense", r"suspenseful", r"plot devices?",
        # plausibility, ideas and themes: judged as the story (docs/ASPECTS.md, rule 3)
        r"credib(?:le|ility)", r"incredible plot", r"not credible",
        r"suspen(?:d|sion of) (?:my |your |one's |our |all )?disbelief", r"disbelief",
        r"realistic", r"unrealistic", r"realism", r"far from reality", r"(?:in )?real life",
        r"(?:historically )?(?:in)?accura(?:te|cy|cies)", r"historically",
        r"true stor(?:y|ies)", r"based on (?:a |the )?(?:true|real)",
        r"(?:the|basic|whole|main|central|crazy|interesting|good|great|bad|stupid|silly|dumb"
        r"|clever|brilliant|novel|fresh|simple|same) ideas?", r"themes?", r"thematic(?:ally)?",
        r"subject matter", r"topic", r"fable", r"tension", r"intrigue", r"myster(?:y|ies)",
        r"clich(?:e|é)s?", r"clich(?:e|é)d", r"formula", r"formulaic", r"nonsensical",
        r"(?:does|do|did)(?:n't| not) make (?:any |much )?sense", r"makes? (?:no |little )?sense",
        r"holes", r"what (?:was|is) going on", r"nothing (?:much )?happens", r"situations",
        r"contrived", r"ludicrous", r"absurd", r"preposterous", r"(?:too|so) simple",
        r"happy ending", r"love story", r"the story goes",
    ),
    "characters": (
        r"characters?", r"characteri[sz]ations?", r"protagonists?", r"antagonists?",
        r"villains?", r"villain(?:y|ess)", r"heroes", r"hero", r"heroines?", r"sidekicks?",
        r"anti-?heroe?s?", r"one-?dimensional", r"two-?dimensional", r"three-?dimensional",
        r"cardboard", r"likeable", r"likable", r"unlikeable", r"unlikable", r"caricatures?",
        r"stereotypes?", r"stereotypical", r"well-?developed", r"underdeveloped",
        r"under-developed", r"character development",
        r"behaves?", r"behaved", r"behaviou?rs?", r"motivations?", r"motives",
        r"personalit(?:y|ies)", r"back-?stor(?:y|ies)", r"motive", r"selfish(?:ness)?",
        # people of the film judged as people: "a selfish sister", "dumb teenagers"
        r"(?:annoying|insipid|stupid|dumb|idiotic|likable|likeable|selfish|unlikable|unlikeable"
        r"|irritating|obnoxious|shallow|bland|lovable|loveable|one-note|clueless|brainless"
        r"|smart|intelligent|cool|tough|sweet|quirky|deadbeat|wannabe|goofy) (?:guy|guys|girl"
        r"|girls|man|men|woman|women|boy|boys|kid|kids|people|person|couple|family|teenagers?"
        r"|teens?|mom|dad|father|mother|wife|husband|brothers?|sisters?|goons?|thugs?|jerks?"
        r"|idiots?|punks?|uncle|aunt)",
        r"cares? (?:not |less )?(?:about|for) (?:any of|anyone|anybody|him|her|them|these|those"
        r"|who|what happen)", r"(?:cares?|cared) (?:not )?who (?:wins|lives|dies)",
        r"relationships? between", r"sympathetic", r"unsympathetic",
        r"the way (?:he|she|they) (?:acts?|reacts?|behaves?)",
    ),
    "direction": (
        r"director(?:s|'s)?", r"directed", r"directing", r"direction", r"directorial",
        r"film-?makers?", r"film-?making", r"moviemakers?", r"helmed", r"helmer", r"auteur",
        r"co-?directed", r"directs", r"techniques?", r"visionary",
        # from aclImdb train labels (aspect_train.jsonl): editing is the director's work (rule 6)
        r"editing", r"edited", r"editors?", r"choppy",
    ),
    "script": (
        r"scripts?", r"scripted", r"screenplays?", r"dialogues?", r"dialogs?", r"dialog",
        r"lines", r"one-?liners?", r"writing", r"written", r"writers?", r"screenwriters?",
        r"scriptwriters?", r"script-?writers?", r"penned", r"co-?written", r"wordy",
        r"conversations?", r"monologues?", r"quotable", r"the line",
    ),
    "music": (
        r"music", r"musical (?:score|numbers?|sequences?|interludes?|pieces?)", r"score",
        r"scored by", r"soundtracks?", r"sound-?tracks?", r"songs?", r"singing", r"sings",
        r"sung", r"singers?", r"composers?", r"composed by", r"theme (?:song|music|tune)",
        r"melod(?:y|ies|ic)", r"tunes?", r"lyrics", r"orchestral", r"orchestra(?:tion)?",
        r"sound design", r"sound mix(?:ing)?", r"sound quality", r"the sound", r"audio",
        r"musicians?", r"ballads?", r"violins?", r"piano", r"boom mic", r"sound effects?",
        r"(?:background|incidental) music", r"sing(?:s|ing)? along", r"sang",
        r"dubbed", r"dubbing",
    ),
    "visuals": (
        r"cinematography", r"cinematographers?", r"cinematic", r"photography",
        r"photographed", r"director of photography", r"camera", r"camera-?work",
        r"camera (?:work|angles?|movements?)", r"(?:opening|closing|final|tracking|wide|long"
        r"|camera|establishing|aerial|overhead|close-?up|crane|dolly|panning|location|studio"
        r"|exterior|interior|stock) shots?", r"continuity (?:errors?|mistakes?|goofs?)", r"goofs?",
        _HOW + r" shot", r"shot (?:in|on) (?:black|colou?r|location|film|video|digital|hd"
        r"|16 ?mm|35 ?mm|super 8|a shoestring)", r"shot beautifully",
        r"visuals?", r"visually", r"scenery", r"sets", r"set (?:design|decoration|pieces?)",
        r"production design", r"art direction", r"costumes?", r"costume design",
        r"locations?", r"lighting", r"lit", r"imagery", r"images", r"colou?rs",
        r"colou?r palette", r"framing", r"framed", r"compositions?", r"landscapes?",
        r"eye candy", r"widescreen", r"black (?:and|&) white", r"shots", r"close-?ups?",
        r"angles", r"look(?:s|ed)? (?:great|gorgeous|beautiful|stunning|amazing|cheap|"
        r"fantastic|terrible|awful|good|bad|lovely|superb|nice|dated)", r"beautiful to look at",
        r"scenic", r"vistas?", r"backdrops?", r"grainy", r"picture[- ]quality",
        r"filmography is", r"filming", r"filmed", r"animation", r"animated", r"footage",
        r"production (?:canvas|values?)", r"scenes of", r"environment",
    ),
    "pacing": (
        r"pace", r"paced", r"pacing", r"slow", r"slowly paced", r"slower", r"slowest",
        r"slow-?moving", r"fast-?moving", r"fast-?paced", r"drags?", r"dragged",
        r"dragging", r"drag on", r"too long", r"overlong", r"over-?long", r"long-?winded",
        r"lengthy", r"length", r"runtime", r"run-?time", r"running time", r"too short",
        r"boring", r"bored", r"boredom", r"tedious", r"tedium", r"plodding", r"sluggish",
        r"padded", r"padding", r"brisk", r"briskly", r"moves along", r"moves quickly",
        r"dull moment", r"(?:hours?|minutes) long", r"(?:last|first) (?:\w+ )?(?:minutes|hour)",
        r"longueurs", r"snail's pace", r"glacial", r"pacy", r"fast", r"chugs? along", r"filler",
        r"time-?filler", r"cut (?:very )?short", r"(?:paying|pay) attention",
        r"fell asleep", r"falling asleep", r"(?:frenetic |nervous )?energy", r"too little content",
        r"wish(?:ed)? it would (?:just )?end",
        r"(?:could|couldn't|can't|cannot) wait for it to end",
        r"dull", r"dullness", r"duller",
    ),
    "ending": (
        r"endings?", r"the end", r"finale", r"climax", r"climactic", r"conclusion",
        r"final (?:scene|scenes|act|moments|minutes|shot|sequence|twist|reel|showdown)",
        r"last (?:scene|scenes|act|moments|minutes|shot|sequence|reel)", r"denouement",
        r"dénouement", r"ends", r"ended", r"resolution", r"epilogue", r"(?:the )?ending credits",
        r"cliff-?hanger",
    ),
    "humour": (
        r"funny", r"funnier", r"funniest", r"unfunny", r"humou?r", r"humou?rous",
        r"humou?rless", r"jokes?", r"joking", r"gags?", r"laughs?", r"laughed", r"laughing",
        r"laugh-out-loud", r"laughter", r"hilarious", r"hilarity", r"comedy", r"comedic",
        r"comical", r"comic", r"wit", r"witty", r"amusing", r"chuckles?", r"chuckled",
        r"giggles?", r"giggled", r"slapstick", r"punch-?lines?", r"sight gags?", r"lol",
        r"comic relief", r"comedies", r"belly laughs?", r"zingers?", r"satire", r"satirical",
    ),
    "violence": (
        r"violence", r"violent", r"gore", r"gory", r"blood", r"bloody", r"bloodshed",
        r"blood-?soaked", r"bloodbath", r"brutal", r"brutality", r"brutally", r"gruesome",
        r"graphic", r"splatter", r"carnage", r"torture", r"tortured", r"mutilat(?:ed|ion)",
        r"dismember(?:ed|ment)", r"decapitat(?:ed|ion)", r"killings", r"slaughter",
        r"bloodless", r"grisly", r"sadistic", r"guts",
    ),
    "effects": (
        r"effects", r"special effects?", r"visual effects?", r"fx", r"sfx", r"cgi", r"cg",
        r"computer[- ]generated", r"make-?up", r"make-?up effects", r"prosthetics?",
        r"animatronics?", r"stop-?motion", r"creature design", r"miniatures?",
        r"green-?screen", r"blue-?screen", r"rubber (?:suit|monster)s?", r"latex",
    ),
    "comparison": (
        r"remakes?", r"remade", r"sequels?", r"prequels?", r"the book", r"the books",
        r"the novel", r"the novels", r"the comics?", r"the comic book", r"the manga",
        r"the play", r"the musical", r"the series", r"the tv series", r"the show",
        r"the original", r"original (?:film|movie|version|one|series|cast|\d{4})",
        r"the first (?:one|film|movie|part|installment|instalment)",
        r"part (?:one|two|1|2|3|ii|iii)",
        r"compared (?:to|with)", r"comparisons?", r"in comparison", r"comparable",
        r"than the (?:first|second|last|previous|original|others?)", r"predecessors?",
        r"adaptations?", r"adapted", r"version", r"versions", r"reboot", r"re-?imagining",
        r"franchise", r"installments?", r"instalments?", r"rip-?off", r"ripoff",
        r"carbon copy", r"reminds? me of", r"reminiscent of", r"similar to",
        r"pales in comparison", r"spin-?off", r"source material", r"the previous",
        r"(?:better|worse|superior|inferior|funnier|scarier) (?:than|to)"
        r" (?:this|that|the|it|his|her|their)",
        r"than this", r"reminded me of",
        r"(?:his|her|their|the director's) (?:other|previous|earlier"
        r"|later|last|latest|best|first|next) (?:films?|movies?|works?|efforts?|outings?)",
        r"same (?:man|director|guy|team|people|writer|person) (?:who|that)"
        r" (?:brought|gave|made|directed)",
        r"(?:an|the) earlier (?:film|movie|version)", r"the old",
        # other works named by how they relate to this one (docs/ASPECTS.md, rule 8)
        r"(?:better|worse|superior|inferior|funnier|scarier|smarter|weaker|stronger) than"
        r" (?:any|anything|most|some|every|its|[\"'])",
        r"superior", r"inferior", r"much like", r"just like", r"like that one", r"a cross between",
        r"cop(?:y|ies|ying|ied)", r"rip(?:s|ped|ping)? off", r"knock-?offs?", r"clones?",
        r"borrow(?:s|ed|ing)? (?:heavily |liberally |a lot )?from", r"homage",
        r"in the (?:vein|tradition|mold|mould|style) of", r"derivative", r"on par with",
        r"up there with", r"episodes? of", r"between the two",
        r"other (?:films|movies|shows|works|versions|adaptations)", r"filmography", r"repertoire",
        r"body of work", r"(?:also|as) (?:seen|memorable|good|great|excellent) in",
        r"(?:watch|see|rent) (?:\w+ ){1,4}(?:instead|again)", r"the first (?:two|three)",
        r"similar", r"unlike", r"compare", r"renditions?",
        r"(?:the )?(?:first|second|third|last|previous|next) (?:film|movie|installment|instalment"
        r"|chapter|entry)", r"inspired by", r"same (?:storyline|plot|story)",
    ),
}  # fmt: skip

# Phrases where a term means something else; a term match overlapping one is dropped.
EXCLUSIONS: tuple[str, ...] = (
    # cast
    r"cast (?:doubt|aside|away|out|off|a (?:spell|shadow|glance|vote|pall|light)|light"
    r"|iron|a long shadow|his vote|her vote|my vote|votes?|stones?|the first stone)",
    r"cast(?:s|ing)? (?:a |his |her )?(?:spell|shadow|doubt|glance|light)",
    r"outcast",
    # shot (camera) vs shot (gun) — only the camera phrases are terms; "shots" excluded here
    r"shots? (?:fired|rang|of (?:whisky|whiskey|tequila|vodka|liquor|alcohol))",
    r"(?:gun|pistol|rifle|head|kill|cheap|big|long|mug|parting|pot|best|one|snap) shots?",
    # effects / effect
    r"side[- ]effects?", r"effects? (?:of|on) (?:the |a |his |her |their )?(?:war|drugs?|alcohol"
    r"|him|her|them|people|society|children|kids|audiences?|viewers?|me)",
    r"cause and effect", r"to (?:great|good|little|no|comic|chilling|full) effect",
    r"ripple effects?", r"greenhouse effect", r"domino effect",
    # character
    r"(?:in|out of|stays? in|stay in|break(?:s|ing)? out of) character",
    r"character actors?", r"man of character", r"strength of character", r"character flaws?",
    # score (rating)
    r"(?:i|i'd|i'll|i would|we) (?:\w+ )?(?:score|rate)",
    r"score (?:it|this|them|the (?:movie|film))",
    r"score(?:s|d)? (?:of |a |an )?(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|zero)",
    r"(?:imdb|average|overall|user|my|final|metacritic|tomatometer|rating|perfect|low|high"
    r"|lower|higher|\d+(?:\.\d+)?|aggregate|critics'?|test) scores?",
    r"scores? (?:points?|a (?:hit|goal|date|job|role|touchdown))", r"settle (?:a|the) score",
    r"on (?:that|this|every|all) score", r"score-?card", r"scores? (?:high|low|well|poorly)",
    # end / ending
    r"in the end", r"the end of the day", r"end(?:s|ed|ing)? up", r"beginning to (?:the )?end",
    r"start to (?:the )?end", r"end result", r"end of (?:story|discussion|the world|an era"
    r"|the line|the road|my rope|his rope|her rope|civilization)", r"no end", r"on end",
    r"at the end of the day", r"the end is near", r"to the end of time", r"ended up",
    r"ends? justify", r"ends? meet", r"ends? with a whimper", r"front end", r"dead end",
    r"happy ending (?:massage)", r"ends? (?:its|his|her|their) (?:life|lives|career)",
    r"the end credits?", r"in conclusion", r"career[- ]ending",
    r"the end of (?:his|her|their|its|my|our|\d{4}|the (?:year|decade|war|century|day|season"
    r"|series|line|world))",
    r"(?:until|till|til|through|to) the (?:very |bitter )?end",
    r"(?:come|came|comes|coming|jump(?:ed|ing)?|draw)"
    r" to (?:the |a |my |this |that )?conclusions?", r"my conclusion", r"a foregone conclusion",
    r"resolution (?:dvd|transfer|picture|of the dvd|video)", r"high[- ]resolution",
    r"new year's resolution",
    # funny (strange), laugh (mocking), comic (book)
    r"funny (?:how|that|thing|enough|business|feeling|looking)", r"funnily", r"the funny thing",
    r"laugh(?:able|ably)", r"laughing ?stock", r"comic[- ]?books?", r"comic[- ]con",
    r"comics? (?:fans?|readers?)", r"comedy of errors",
    # lines, writing, written
    r"along (?:the|those|these|similar) lines", r"between the lines",
    r"(?:bottom|front|finish|production|time|fine|party|punch) lines?",
    r"lines? (?:up|of (?:sight|code|cocaine|coke|people|fire))", r"blood ?lines?",
    r"(?:writing|write|wrote|written) (?:this|a|my|these|the) (?:review|comment|summary|post)",
    r"(?:i am|i'm|i was|am i|while|before|after|when|worth) writing",
    r"writing (?:this|on the wall)",
    r"(?:review|comment|reviews|comments|article|letter) (?:was |were |is )?written",
    r"written (?:in the stars|all over|off)", r"writers? (?:block|strike)",
    r"(?:the )?writing on the wall",
    # direction
    r"(?:in|from|into|the (?:right|wrong|opposite|same)|a (?:new|different)|any|every) directions?",
    r"change (?:of )?direction", r"sense of direction",
    r"(?:directions?|directed) (?:to|towards|at|against) (?:the |a |him|her|them|me|us)",
    r"stage directions?",
    # story (other senses)
    r"(?:long story short|cover story|success story|sob story|side of the story|end of story)",
    r"(?:a|the) plot (?:to|against)", r"plot(?:s|ted|ting)? (?:to|against|revenge)",
    # acting / performance (other senses)
    r"(?:box[- ]office|financial|sales) performances?",
    r"acting (?:like|as if|strange|weird|crazy|up)",
    r"(?:role ?models?|role-?playing|gender roles?|role reversal)", r"acted (?:like|as if|on)",
    r"performs? (?:surgery|an autopsy|a ritual|an exorcism)", r"(?:his|her|their) leads?",
    r"leads? (?:to|him|her|them|us|into|up|nowhere|the way)", r"deliver(?:s|ed|y)? (?:a |the )?"
    r"(?:baby|babies|pizza|pizzas|mail|message|package|goods|letter|news|drugs)",
    r"delivery (?:boy|man|guy|truck|room)", r"chemistry (?:teacher|class|set|lab)",
    # music / sound (other senses)
    r"the sound of (?:\w+ )?(?:music)?", r"sound(?:s|ed)? like", r"safe and sound",
    r"the sound (?:of|barrier|mind)", r"face the music", r"music (?:video|channel|industry"
    r"|business|teacher|career|lessons?|store)", r"tunes? in", r"tuned? (?:in|out)",
    r"piano (?:teacher|lessons?)",
    # visuals (other senses)
    r"sets? (?:up|out|off|in|about|fire|foot|the|a|his|her|their|it|them|him|free|sail|forth|its)",
    r"sets? of (?:rules|values|skills)", r"(?:tv|television) sets?", r"box sets?", r"dvd sets?",
    r"camera (?:phone|crew)", r"hidden cameras?", r"(?:security|surveillance) cameras?",
    r"lit (?:up|a |the |his |her |candles?|cigarettes?|fuse)", r"lit(?:erally|erature)",
    r"locations? of (?:the )?(?:bomb|body|treasure)",
    r"(?:true|political|team|school|flying|state) colou?rs",
    r"colou?rs? of (?:the|his|her)", r"framed (?:for|by)", r"shots? (?:at|in the dark)",
    # pacing (other senses)
    r"slow[- ]?(?:motion|mo|burn|dancing|dance|witted|down)", r"fast (?:food|forward|friends"
    r"|asleep|cars?|lane|track|talking)", r"fast-?forward(?:ed|ing)?", r"drag (?:queens?|race"
    r"|racing|kings?|me|him|her|them|you)", r"in drag", r"(?:the|a|full|feature|short) length"
    r" (?:of (?:time|his|her|the hair|hair))", r"at length", r"go to (?:great )?lengths",
    r"bored (?:housewife|teenagers?|wife|husband)",
    # violence (other senses)
    r"bloody (?:good|awful|hell|brilliant|well|great|terrible|marvellous|marvelous|fantastic"
    r"|mary|stupid|boring)", r"blood (?:brothers?|relatives?|relations?|sisters?|line|type)",
    r"graphic (?:novels?|design|artists?|arts)", r"guts to", r"have the guts",
    r"tortured (?:soul|artist|genius|past)",
    # effects (other senses)
    r"make-?up (?:for|your|his|her|my|their|its|a story|stories|an excuse|excuses|the|with|of)",
    r"(?:made|make|making|makes) (?:\w+ )?up", r"make-?up artists?",
    # comparison (other senses)
    r"the show (?:must|me|up)", r"(?:a |the )?series of", r"the first (?:one|time) (?:to|I|i)",
    r"version of (?:events|the truth|himself|herself)", r"the play (?:button|station)",
    r"similar to (?:what|how|this|that)", r"compared to (?:nothing|what)",
    # others
    r"hero(?:es)? (?:sandwich|worship)", r"(?:the )?tale of the tape",
    r"the last minutes? of (?:my|our)",
    r"wits'? end", r"(?:at|to) (?:my|his|her|their) wits",
)  # fmt: skip

# Phrases that drop one aspect's term only: "original story" is fresh (not the
# other work) but still about the story; "story lines" are the plot, not the
# script's lines.
ASPECT_EXCLUSIONS: dict[str, tuple[str, ...]] = {
    "comparison": (
        r"(?:very|so|quite|an|most|more|less|not|truly|highly|wholly|totally|fairly|really"
        r"|refreshingly|genuinely|nothing|something|anything|remarkably|wonderfully|completely"
        r"|particularly|strikingly|somewhat|too|incredibly|extremely|un)[ -]original",
        r"original (?:ideas?|idea|story|stories|concept|premise|plot|script|screenplay|score"
        r"|music|soundtrack|songs?|thinking|twist|approach|work|material|take|and|or|enough|way)",
        r"originality", r"(?:the|this|a|an|tv|television) series of", r"the show (?:must|me|up)",
    ),
    "script": (r"story[ -]?lines?", r"plot[ -]?lines?"),
    "visuals": (
        r"animated (?:films?|movies?|features?|menus?|series|shorts?)", r"animation awards?",
    ),
    "direction": (r"direction of the (?:story|plot|film|movie)",),
    # "a dull plot" judges the plot, "a dull character" the character, not the pace
    "pacing": (
        r"dull(?:er)? (?:\w+ )?(?:plot|story|storyline|characters?|dialogue|script|lines|villain"
        r"|hero|heroine|lead|protagonists?|performances?|acting|music|score|ending|jokes?)",
    ),
}  # fmt: skip

# A person's name (two or more capitalised words) judged by an adjective a few
# words on: "Patrick Swayze is an excellent ...", "Val Kilmer is outstanding".
_NOT_NAME = (
    r"The|This|That|These|Those|A|An|It|In|On|At|But|And|When|If|As|So|What|My|His|Her|Their"
    r"|Our|Its|I|We|He|She|They|You|There|Here|Then|All|Also|Even|Every|Some|One|No|Not|Why"
    r"|How|Who|Overall|Although|Though|While|After|Before|For|With|Of|To|From|By|Just|Only|Well"
)
_JUDGEMENT = (
    r"excellent|great|brilliant|superb|wonderful|terrific|terrible|awful|wooden|convincing"
    r"|unconvincing|believable|unbelievable|good|bad|fine|outstanding|lovely|perfect|solid"
    r"|artificial|amazing|fantastic|stunning|magnificent|marvel(?:l)?ous|horrible|dreadful|weak"
    r"|strong|memorable|charming|hilarious|annoying|miscast|bland|stiff|flat|credible|effective"
    r"|impressive|adequate|decent|mediocre|poor|pathetic|laughable|believable|superb|funny"
    r"|likable|likeable|excellently|perfectly|cast|delightful|menacing|sympathetic|natural"
)
_NAMED_JUDGEMENT_RE = re.compile(
    rf"(?<![\w.])(?<!The )(?<!the )(?<!A )(?<!An )(?<!of )(?!(?:{_NOT_NAME})\b)"
    rf"[A-Z][a-z'-]+(?:[ -](?:[A-Z][a-z'-]+|[A-Z]\.))+"
    rf"(?: (?:and|&) [A-Z][a-z'-]+(?: [A-Z][a-z'-]+)*)?(?:'s)?"
    rf"(?: (?:is|was|are|were|does|did|gives|gave|looks|seems|makes|made|plays|played|proves)\b)"
    rf"(?: [\w'-]+){{0,3}}? (?:{_JUDGEMENT})\b"
)
# Contrast markers; the clause after one is judged apart from the one before.
_CONTRAST_RE = re.compile(
    r"(?:(?<=[,;:])|(?<=[,;:] )|^)\s*(?:yet|while|whereas|except)\b"
    r"|\b(?:but|although|though|even though|whereas|except that|except for|despite|in spite of"
    r"|nevertheless|nonetheless|albeit|unfortunately|sadly)\b"
    r"|;|\s[-–—]{1,2}\s",
    re.IGNORECASE,
)
# Subordinate contrast openers whose clause ends at the next comma.
_SUBORDINATE_RE = re.compile(
    r"(?:although|though|even though|whereas|while|despite|in spite of)\b", re.IGNORECASE
)
_MIN_CLAUSE_CHARS = 3


@dataclass(frozen=True, slots=True)
class Mention:
    """One aspect term found in a sentence: ``sentence[start:end]`` is the term."""

    aspect: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class AspectSentiment:
    """How one sentence judges one aspect."""

    aspect: str
    polarity: AspectPolarity
    p_positive: float


@dataclass(frozen=True, slots=True)
class SentenceAspects:
    """The aspects of one sentence: ``index`` is its position in ``split_sentences``."""

    index: int
    text: str
    aspects: tuple[AspectSentiment, ...]


def _split_top(pattern: str) -> list[str]:
    """Split a regex at its top-level ``|``."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _expand_leading_group(fragment: str) -> list[str]:
    """Rewrite ``(?:a|b)rest`` / ``(?:a )?rest`` as fragments starting with a letter."""
    if not fragment.startswith("(?:"):
        return [fragment]
    depth, close = 0, 0
    for close, c in enumerate(fragment):  # noqa: B007 (the loop finds ``close``)
        depth += c == "("
        depth -= c == ")"
        if depth == 0:
            break
    i = close
    inner, rest = fragment[3:i], fragment[i + 1 :]
    optional = rest.startswith("?")
    rest = rest[1:] if optional else rest
    out = [alt + rest for alt in _split_top(inner)] + ([rest] if optional else [])
    return [g for f in out for g in _expand_leading_group(f)]


_META = set("\\.^$*+?{}[]()|")


def _key(fragment: str) -> str:
    """The literal lowercase start of a fragment, at most 3 characters (its dispatch key)."""
    out = ""
    for i, c in enumerate(fragment):
        if c in _META or (i + 1 < len(fragment) and fragment[i + 1] in "?*{"):
            break
        out += c.lower()
        if len(out) == 3:
            break
    return out


class _Dispatch:
    """Fragments grouped by their literal start; matched only at word starts.

    Python's ``re`` tries the branches of a big alternation one by one at
    every position; looking up each word's first letters in a dict first and
    trying only the few fragments sharing them is tens of times faster.
    """

    def __init__(self, fragments: list[str]) -> None:
        self.order = sorted(
            dict.fromkeys(g for f in fragments for g in _expand_leading_group(f)),
            key=lambda f: (-len(f), f),
        )
        groups: dict[str, list[int]] = {}
        for index, fragment in enumerate(self.order):
            key = _key(fragment)  # "" (no literal start) is tried at every word
            groups.setdefault(key, []).append(index)
        self.lengths = sorted({len(k) for k in groups}, reverse=True)
        self.patterns: dict[str, tuple[re.Pattern[str], list[int]]] = {
            key: (
                re.compile(
                    "(?:" + "|".join(f"({self.order[i]})" for i in idx) + r")(?!\w)", re.IGNORECASE
                ),
                idx,
            )
            for key, idx in groups.items()
        }

    def finditer(self, sentence: str, lowered: str) -> list[tuple[int, int, int]]:
        """Non-overlapping ``(start, end, fragment index)``, leftmost and longest first."""
        found: list[tuple[int, int, int]] = []
        taken = 0
        patterns = self.patterns
        for word in _WORD_START_RE.finditer(lowered):
            start = word.start()
            if start < taken:
                continue
            best: tuple[int, int, int] | None = None
            for n in self.lengths:
                entry = patterns.get(lowered[start : start + n])
                if entry is None:
                    continue
                m = entry[0].match(sentence, start)
                if m is not None and (best is None or m.end() > best[1]):
                    best = (start, m.end(), entry[1][(m.lastindex or 1) - 1])
            if best is not None:
                found.append(best)
                taken = best[1]
        return found


_WORD_START_RE = re.compile(r"(?<!\w)\w")

# A quoted title: "Zombi 2", 'High Fidelity' (an apostrophe inside a word is no quote).
_QUOTED_RE = re.compile(r"[\"“]([^\"”]{1,80}?)[\"”]|(?<![\w'])'([^']{1,80}?)'(?![\w])")
_TITLE_WORD_RE = re.compile(r"[\w'-]+")
# The review's own title is named as "the film "X"" or opens a sentence as its subject.
_OWN_TITLE_BEFORE_RE = re.compile(
    r"(?:the|this|that)? ?(?:film|movie|picture|show|series)\s*$", re.IGNORECASE
)
_OWN_TITLE_AFTER_RE = re.compile(
    r"\s*(?:\(\d{4}\)\s*)?(?:is|was|has|had|contains|follows|tells|stars|starts|begins|shows|"
    r"offers|features|gives|makes|isn't|wasn't|does|did|will|can|could|might|may)\b",
    re.IGNORECASE,
)
# Actors introduced by the review: "(Lena Halvorsen)", "played by Tomas Brandt".
_NAME = r"[A-Z][\w'.-]+(?: [A-Z][\w'.-]+)+"
_ACTOR_INTRO_RE = re.compile(
    rf"\(({_NAME})\)|(?:played|portrayed|acted|performed) by ({_NAME})"
    rf"|(?:actor|actress|star|co-star|comedian) ({_NAME})"
)
# One word of a known actor's name judged a few words on: "Halvorsen does quite well".
_NAME_JUDGED_RE = re.compile(
    r"(?<![\w.])([A-Z][\w'-]+)(?:'s)?"
    r" (?:is|was|are|were|does|did|gives|gave|looks|seems|makes|made|plays|played|proves|provides"
    r"|has|had|shows|brings|delivers|manages|steals|carries|comes across|stands out)\b"
    rf"(?: [\w'-]+){{0,4}}? (?:{_JUDGEMENT}|well|wasted|slumming|job|work|turn|funny|best|worst"
    r"|better|worse|nothing|little|moments)\b"
)
# A named person "as" a role: "Ray Dunmore is calm and menacing as the sheriff",
# "Dale Morrow shows up as her hot-headed cousin".
_NAME_AS_ROLE_RE = re.compile(
    rf"(?<![\w.])(?!(?:{_NOT_NAME})\b)[A-Z][\w'-]+(?:,? (?:and |& )?[A-Z][\w'-]+)*"
    r"(?: \([^)]{1,40}\))? (?:is|was|are|were|does|did|shows up|turns up|appears|plays|played"
    r"|stars|co-stars|excels|shines)\b[^.;:?!]{0,40}? as (?:the|a|an|his|her|their|this|that"
    r"|[A-Z])"
)
# Another work named by a possessive or plural: "Fulci films", "Martino's best films".
_WORKS_OF_RE = re.compile(
    rf"(?<![\w.])(?!(?:{_NOT_NAME})\b)[A-Z][\w'-]+(?:'s)? (?:(?:other|earlier|later|previous|best"
    r"|worst|first|last|finest|greatest|own) )?(?:films|movies|flicks|pictures|works|shorts)\b"
    r"|(?<![\w.])[A-Z][\w]+-like\b"
)

_WORKS_WORDS = ("films", "movies", "flicks", "pictures", "works", "shorts", "-like")


def _title(text: str) -> str | None:
    """``text`` as a normalised work title, or ``None`` when it does not read as one."""
    text = text.strip(" ,.!?;:")
    words = _TITLE_WORD_RE.findall(text)
    if not words or not (text[0].isupper() or text[0].isdigit()) or len(words) > 10:
        return None
    # "It's not about you." is dialogue; "The House of the Flying Daggers" a title:
    # at least half the longer words after the first are capitalised.
    long_words = [w for w in words[1:] if len(w) > 3]
    capitalised = sum(w[0].isupper() or w[0].isdigit() for w in long_words)
    if long_words and capitalised * 2 < len(long_words):
        return None
    return text.lower()


@dataclass(frozen=True, slots=True)
class ReviewContext:
    """What the rest of a review tells about one of its sentences.

    ``own_titles``: quoted titles that name the reviewed work itself (not a
    comparison); ``actors``: words of the names the review introduces as
    actors, so that "Halvorsen does quite well" counts as ``acting``.
    """

    own_titles: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()


def review_context(sentences: Sequence[str]) -> ReviewContext:
    """Own titles and actor names of a review, from all of its sentences.

    A quoted title is the review's own when it is quoted twice or more, when
    "the film" (or similar) comes right before it, or when it opens a sentence
    as its subject ("'Who Done It?' contains ..."). Actors are the names in
    parentheses, after "played by" or after "actor"/"actress".

    Example
    -------
    >>> ctx = review_context(['"Red Rock West" is great.', 'Nice cast (Nicolas Cage).'])
    >>> sorted(ctx.own_titles), sorted(ctx.actors)
    (['red rock west'], ['Cage', 'Nicolas'])
    """
    counts: dict[str, int] = {}
    own: set[str] = set()
    actors: set[str] = set()
    for sentence in sentences:
        if '"' in sentence or "'" in sentence or "“" in sentence:
            for m in _QUOTED_RE.finditer(sentence):
                title = _title(m.group(1) or m.group(2))
                if title is None:
                    continue
                counts[title] = counts.get(title, 0) + 1
                before = sentence[: m.start()]
                if _OWN_TITLE_BEFORE_RE.search(before) or (
                    not before.strip(" (*-")
                    and _OWN_TITLE_AFTER_RE.match(sentence, m.end()) is not None
                ):
                    own.add(title)
        if "(" in sentence or " by " in sentence or "act" in sentence or "star" in sentence:
            for m in _ACTOR_INTRO_RE.finditer(sentence):
                name = m.group(1) or m.group(2) or m.group(3)
                actors.update(w for w in name.split() if len(w) > 2 and w[-1] != ".")
    own.update(t for t, n in counts.items() if n >= 2)
    return ReviewContext(frozenset(own), frozenset(actors - _NOT_NAME_SET))


_NOT_NAME_SET = frozenset(_NOT_NAME.split("|"))


class _Matcher:
    """The term and exclusion dispatchers (built once, on first use)."""

    def __init__(self) -> None:
        owners: dict[str, list[str]] = {}
        for aspect, fragments in TERMS.items():
            for fragment in (g for f in fragments for g in _expand_leading_group(f)):
                owners.setdefault(fragment, [])
                if aspect not in owners[fragment]:
                    owners[fragment].append(aspect)
        self.terms = _Dispatch(list(owners))
        self.owners = [tuple(owners[f]) for f in self.terms.order]
        # expanded exclusion fragment -> the aspects it blocks (None: every aspect)
        blocks: dict[str, frozenset[str] | None] = {}
        for fragment in (g for f in EXCLUSIONS for g in _expand_leading_group(f)):
            blocks[fragment] = None
        for aspect, fragments in ASPECT_EXCLUSIONS.items():
            for fragment in (g for f in fragments for g in _expand_leading_group(f)):
                if fragment in blocks and blocks[fragment] is None:
                    continue  # already blocks every aspect
                blocks[fragment] = (blocks.get(fragment) or frozenset()) | {aspect}
        self.exclusions = _Dispatch(list(blocks))
        self.blocks = [blocks[f] for f in self.exclusions.order]

    def mentions(self, sentence: str, context: ReviewContext | None = None) -> list[Mention]:
        """Term matches that overlap no exclusion, in order.

        With a ``context``, quoted titles other than the review's own count as
        ``comparison`` and judged actor names as ``acting``.
        """
        lowered = sentence.lower()
        if len(lowered) != len(sentence):
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in sentence)
        found = [(a, b, self.owners[i]) for a, b, i in self.terms.finditer(sentence, lowered)]
        found.extend(
            (m.start(), m.end(), ("acting",)) for m in _NAMED_JUDGEMENT_RE.finditer(sentence)
        )
        # Cheap substring gates first: these patterns start at every capital letter.
        if any(word in lowered for word in _WORKS_WORDS):
            found.extend(
                (m.start(), m.end(), ("comparison",)) for m in _WORKS_OF_RE.finditer(sentence)
            )
        if '"' in sentence or "'" in sentence or "“" in sentence:
            own = context.own_titles if context is not None else frozenset()
            for m in _QUOTED_RE.finditer(sentence):
                title = _title(m.group(1) or m.group(2))
                if title is not None and title not in own:
                    found.append((m.start(), m.end(), ("comparison",)))
        if " as " in lowered:
            found.extend(
                (m.start(), m.end(), ("acting",)) for m in _NAME_AS_ROLE_RE.finditer(sentence)
            )
        if context is not None and context.actors:
            found.extend(
                (m.start(), m.end(), ("acting",))
                for m in _NAME_JUDGED_RE.finditer(sentence)
                if m.group(1) in context.actors
            )
        if not found:
            return []
        found.sort(key=lambda item: item[0])
        blocked = [
            (a, b, self.blocks[i]) for a, b, i in self.exclusions.finditer(sentence, lowered)
        ]
        out: list[Mention] = []
        for start, end, aspects in found:
            for aspect in aspects:
                if any(
                    s < end and start < e and (only is None or aspect in only)
                    for s, e, only in blocked
                ):
                    continue
                out.append(Mention(aspect, start, end))
        return out


@functools.cache
def matcher() -> _Matcher:
    """The compiled term and exclusion expressions (compiled once, on first use)."""
    return _Matcher()


def find_mentions(sentence: str, context: ReviewContext | None = None) -> list[Mention]:
    """Every aspect term of ``sentence`` that survives the context rules, in order.

    Parameters
    ----------
    sentence:
        One sentence of a review.
    context:
        What the rest of its review says (:func:`review_context`): without it,
        every quoted title counts as a comparison and single-word actor names
        are not known.

    Example
    -------
    >>> [m.aspect for m in find_mentions("The cast is great but the plot drags.")]
    ['acting', 'story', 'pacing']
    """
    return matcher().mentions(sentence, context)


def detect_aspects(sentence: str) -> list[str]:
    """The aspects ``sentence`` talks about, in taxonomy order, each once.

    Parameters
    ----------
    sentence:
        One sentence of a review.

    Returns
    -------
    list[str]
        Names from :data:`ASPECTS`; empty when no aspect term is found.

    Example
    -------
    >>> detect_aspects("Beautifully shot, and the score is haunting.")
    ['music', 'visuals']
    >>> detect_aspects("He was shot dead and I score it 3/10.")
    []
    """
    found = {m.aspect for m in find_mentions(sentence)}
    return [a for a in ASPECTS if a in found]


def split_clauses(sentence: str) -> list[tuple[int, int]]:
    """Cut a sentence at contrast markers; return the clauses as ``(start, end)`` offsets.

    ``"The acting is good but the story is bad"`` gives two clauses; a clause
    opened by ``although``/``though``/``while``/``whereas``/``despite`` ends at
    the next comma (``"Although the acting is good, the story is bad"``).
    The marker stays at the start of the clause it opens. Together the
    clauses cover the whole sentence.

    Example
    -------
    >>> s = "Great acting, but the plot makes no sense."
    >>> [s[a:b] for a, b in split_clauses(s)]
    ['Great acting, ', 'but the plot makes no sense.']
    """
    cuts = {0, len(sentence)}
    for match in _CONTRAST_RE.finditer(sentence):
        start = match.start()
        while start < len(sentence) and sentence[start].isspace():
            start += 1
        cuts.add(start)
        if _SUBORDINATE_RE.match(sentence, start):
            comma = sentence.find(",", match.end())
            if comma >= 0:
                cuts.add(comma + 1)
    points = sorted(cuts)
    spans: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(points):
        if spans and len(sentence[a:b].strip(" ,;:-–—")) < _MIN_CLAUSE_CHARS:
            spans[-1] = (spans[-1][0], b)  # a bare marker or punctuation joins its neighbour
        elif b > a:
            spans.append((a, b))
    if len(spans) > 1 and len(sentence[spans[0][0] : spans[0][1]].strip(" ,;:-–—")) < 3:
        spans[1] = (spans[0][0], spans[1][1])
        spans.pop(0)
    return spans or [(0, len(sentence))]


def analyze_sentences(text: str, model: AspectModel | None = None) -> list[SentenceAspects]:
    """Split a review into sentences and judge the aspects each talks about.

    Parameters
    ----------
    text:
        A review text (glued sentences are repaired first).
    model:
        The sentence polarity model; the shipped default when ``None``
        (loading it takes a moment, so pass one when analysing many reviews,
        or use :meth:`AspectModel.analyze_reviews`).

    Returns
    -------
    list[SentenceAspects]
        One entry per sentence that mentions at least one aspect, in order.

    Example
    -------
    >>> analyze_sentences("I saw it twice. Great acting, but the plot is dumb.")  # doctest: +SKIP
    [SentenceAspects(index=1, text='Great acting, but the plot is dumb.', aspects=(...))]
    """
    from reelsense.analysis.aspect_model import AspectModel

    model = model or AspectModel.load_default()
    out: list[SentenceAspects] = []
    rows = model.analyze_review(text)
    for row in rows:
        index, sentence, aspect, polarity, p = row
        item = AspectSentiment(aspect, polarity, p)
        if out and out[-1].index == index:
            last = out[-1]
            out[-1] = SentenceAspects(index, sentence, (*last.aspects, item))
        else:
            out.append(SentenceAspects(index, sentence, (item,)))
    return out
