"""Unsolved (and recently solved) mystery templates."""

from reelforge.lib.story.genre_data import Beat, GenreData

B = Beat

MYSTERY = GenreData(
    key="mystery",
    cores=(
        "a ship called the Mary Celeste was found drifting with nobody on board",
        "nobody has ever read a six hundred year old book called the Voynich manuscript",
        "a radio signal from deep space was so strong that an astronomer wrote wow next to it",
        "heavy rocks in Death Valley once slid across the desert with no one pushing them",
        "a sculpture outside a spy agency holds a code that is still not fully cracked",
        "nobody knows exactly how the builders of Stonehenge moved its giant stones",
        "three lighthouse keepers vanished from a remote Scottish island in nineteen hundred",
        "an ancient shipwreck held a bronze machine that could predict eclipses",
        "an entire colony of settlers disappeared, leaving one carved word behind",
        "the Nazca lines in Peru are so large they are best seen from the air",
        "the Bermuda Triangle is no more dangerous than other busy stretches of ocean",
        "some people in a small desert town hear a low hum that nobody else can",
        "in fifteen eighteen, hundreds of people danced in the streets for days",
        "ball lightning has been reported for centuries, but nobody can fully explain it",
        "an old legend tells of two children with green skin who walked out of a forest",
        "a deep ocean sound called the Bloop puzzled scientists for years",
        "a clay disc covered in stamped symbols has never been translated",
        "treasure hunters have been digging on one small island for over two hundred years",
        "an explosion over Siberia flattened eighty million trees without leaving a crater",
        "the script of Easter Island has never been deciphered",
        "a huge study of the water in Loch Ness found plenty of eel DNA and no monster",
        "an ancient civilization left thousands of inscriptions nobody can read",
    ),
    beats=(
        B(
            "the Mary Celeste",
            "In eighteen seventy two, the ship Mary Celeste was found sailing on its own in "
            "the Atlantic, with no one aboard.",
            ("The cargo was nearly untouched, and the lifeboat was gone.",),
            "an empty sailing ship drifting on a grey ocean under a {color} foggy sky",
        ),
        B(
            "the Voynich manuscript",
            "The Voynich manuscript is filled with unknown writing and drawings of plants that "
            "no one has identified.",
            ("Codebreakers have tried for more than a century to read it.",),
            "an old open book glowing on a desk in a dark castle tower, {color} candle light",
        ),
        B(
            "the Wow signal",
            "In nineteen seventy seven, a telescope in Ohio recorded a powerful radio burst from "
            "deep space, and it has never been heard again.",
            ("The astronomer who spotted it circled the numbers and wrote wow in the margin.",),
            "a radio telescope dish under a vast star field, {color} night sky, a faint galaxy",
        ),
        B(
            "the Flannan Isles lighthouse",
            "In nineteen hundred, three lighthouse keepers vanished from a remote Scottish "
            "island, and no trace of them was ever found.",
            ("Many think a freak wave swept them into the sea.",),
            "a lonely lighthouse tower on a rocky island, crashing waves, {color} stormy sky",
        ),
        B(
            "the Antikythera mechanism",
            "Divers exploring an ancient Greek shipwreck found a corroded bronze device full "
            "of gears.",
            (
                "It turned out to be a kind of computer for predicting eclipses, built more "
                "than two thousand years ago.",
            ),
            "ancient bronze gears glowing on the sea floor, ocean light rays, {color} water",
        ),
        B(
            "the lost colony of Roanoke",
            "More than one hundred English settlers at Roanoke vanished, leaving behind a "
            "single word carved into a post.",
            ("The word was Croatoan, the name of a nearby island.",),
            "an abandoned wooden fort in a dark forest, mist between the trees, {color} sky",
        ),
        B(
            "Stonehenge",
            "Some of the stones at Stonehenge came from hills in Wales, more than two hundred "
            "kilometers away.",
            ("Exactly how people moved them is still debated.",),
            "a ring of giant standing stones on a grassy plain at dawn, {color} sky, low mist",
        ),
        B(
            "the sailing stones",
            "For decades, heavy rocks in Death Valley slid across a dry lakebed, leaving long "
            "trails, and nobody ever saw them move.",
            ("In twenty fourteen, cameras finally caught thin sheets of ice pushing them along.",),
            "a lone rock with a long trail across a cracked desert, mountains behind, {color} sky",
        ),
        B(
            "the dancing plague",
            "In fifteen eighteen, people in the city of Strasbourg began dancing in the streets "
            "and could not stop for days.",
            ("Historians still argue about what caused it.",),
            "a crowd of dancing figures in a medieval city square at night, {color} torchlight",
        ),
        B(
            "ball lightning",
            "Ball lightning, a glowing orb that floats during storms, has been reported for "
            "centuries, yet it is still poorly understood.",
            ("Scientists have only managed to film it in the wild a handful of times.",),
            "a glowing orb of light over a dark field during a storm, {color} sky, distant trees",
        ),
        B(
            "the Nazca lines",
            "The Nazca lines in Peru include a hummingbird and a monkey drawn so large that "
            "they are best seen from the air.",
            ("They were made around two thousand years ago, long before anyone could fly.",),
            "giant line drawings across a desert plain seen from above, {color} light, mountains",
        ),
        B(
            "Oak Island",
            "Treasure hunters have been digging on Oak Island in Canada for more than two "
            "hundred years.",
            ("The legendary treasure has never turned up.",),
            "a small wooded island in a grey ocean, a lone wooden tower, {color} sky",
        ),
        B(
            "the Tunguska event",
            "In nineteen oh eight, an explosion over Siberia flattened around eighty million "
            "trees, but no crater was ever found.",
            ("Most scientists think a space rock burst apart in the air.",),
            "a flattened forest under a fiery {color} sky, a streak of light over the mountains",
        ),
        B(
            "Rongorongo",
            "The Rongorongo script of Easter Island survives on only a few dozen wooden objects, "
            "and nobody can read it.",
            ("The islanders who understood it were lost in the eighteen hundreds.",),
            "giant stone head statues on a green island by the ocean, {color} sunset sky",
        ),
        B(
            "the Phaistos Disc",
            "The Phaistos Disc, a clay disc covered in stamped symbols, was found in a palace "
            "on Crete, and its meaning is still unknown.",
            ("It may be one of the oldest examples of printing with stamps.",),
            "a round clay disc glowing in the ruins of an ancient palace, {color} light, columns",
        ),
        B(
            "the Taos Hum",
            "In the town of Taos, some residents report a constant low hum that others simply "
            "cannot hear.",
            ("Investigators never found a machine or a source.",),
            "a quiet desert town under a {color} night sky, distant mountains, a faint glow",
        ),
        B(
            "the Bloop",
            "In nineteen ninety seven, underwater microphones picked up an enormous sound "
            "called the Bloop.",
            ("Scientists later linked it to giant icebergs cracking apart.",),
            "a vast dark ocean with a distant iceberg, deep waves, {color} sky",
        ),
        B(
            "the green children of Woolpit",
            "A medieval English legend tells of two children with green skin who appeared near "
            "the village of Woolpit, speaking a language nobody knew.",
            ("Some historians think they were simply lost and badly malnourished.",),
            "two small figures at the edge of a dark forest near an old village, {color} mist",
        ),
        B(
            "Kryptos",
            "Outside a spy agency headquarters in Virginia stands a sculpture called Kryptos.",
            ("The last part of its coded message has still not been solved.",),
            "a curved copper sculpture covered in letters, {color} evening sky, a tall building",
        ),
        B(
            "Loch Ness",
            "A large study of DNA in the water of Loch Ness found no sign of a giant reptile, "
            "but plenty of eel DNA.",
            ("So if there is a monster, it might just be a very big eel.",),
            "a dark misty lake surrounded by mountains, a castle ruin on the shore, {color} sky",
        ),
        B(
            "the Bermuda Triangle",
            "Ships and planes do go missing in the Bermuda Triangle, but studies suggest it is "
            "no more dangerous than other busy waters.",
            ("Storms and heavy traffic explain most of the stories.",),
            "a stormy ocean with tall waves and a small ship, {color} lightning sky",
        ),
        B(
            "the Indus script",
            "The Indus Valley civilization left thousands of short inscriptions, and their "
            "script has never been deciphered.",
            ("Their cities had drains and planned streets more than four thousand years ago.",),
            "ancient brick city ruins on a plain at dusk, {color} sky",
        ),
    ),
    lexicon={
        "topic": ("mystery", "unsolved mystery", "unexplained", "creepy history"),
        "adj": (
            "strange",
            "creepy",
            "baffling",
            "bizarre",
            "little known",
            "eerie",
            "chilling",
            "unexplained",
            "puzzling",
            "haunting",
        ),
        "fact": ("fact",),
        "facts": ("facts",),
        "color": (
            "pale green",
            "deep blue",
            "grey",
            "violet",
            "crimson",
            "teal",
            "silver",
            "amber",
            "indigo",
            "dark purple",
        ),
        "count": ("two", "three"),
        "setting": (
            "alone in an old house on a stormy night",
            "walking along a foggy shore after dark",
            "reading old newspapers in a silent archive",
            "standing at the edge of a dark forest",
            "sailing across a calm sea with no land in sight",
        ),
        "tail": (
            "that still have no answer",
            "that will give you chills",
            "nobody can fully explain",
            "experts still argue about",
        ),
        "extra": (
            "Nobody has a perfect explanation.",
            "The more you read about it, the stranger it gets.",
            "Theories range from the simple to the truly wild.",
            "Some mysteries refuse to stay solved.",
            "And the records from the time only raise more questions.",
            "Researchers keep coming back to it, decade after decade.",
            "What would you have done if you had been there?",
        ),
        "closer": (
            "Some questions may never be answered, and maybe that is the point.",
            "Follow for more mysteries that still have no answer.",
            "Tell me your best theory in the comments.",
        ),
        "title": (
            "Mysteries Nobody Can Explain",
            "Unsolved Cases That Still Baffle Experts",
        ),
    },
    hashtags=(
        "#unsolved",
        "#unsolvedmysteries",
        "#creepy",
        "#unexplained",
        "#history",
        "#truestory",
        "#didyouknow",
        "#mysteries",
    ),
    core_hashtags=("#mystery",),
)
