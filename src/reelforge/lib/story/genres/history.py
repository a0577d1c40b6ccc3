"""History templates."""

from reelforge.lib.story.genre_data import Beat, GenreData

B = Beat

HISTORY = GenreData(
    key="history",
    cores=(
        "Cleopatra lived closer in time to the Moon landing than to the building of the "
        "Great Pyramid",
        "teaching at Oxford began before the Aztec city of Tenochtitlan was founded",
        "Roman concrete has survived two thousand years of crashing waves",
        "the shortest war in recorded history lasted less than an hour",
        "Napoleon was not actually short for his time",
        "the Great Wall of China is not one wall, but many walls built over centuries",
        "Vikings never wore horned helmets into battle",
        "archaeologists have found honey in ancient tombs that was still edible",
        "the Eiffel Tower was supposed to be torn down after twenty years",
        "the first computer program was written in the eighteen forties",
        "copying a single book by hand once took many months",
        "the Statue of Liberty used to be a shiny copper brown",
        "the Leaning Tower of Pisa started leaning before it was even finished",
        "the Great Pyramid was the tallest building on Earth for almost four thousand years",
        "woolly mammoths were still alive when the Great Pyramid was built",
        "paper money was used in China more than a thousand years ago",
        "in ancient Rome, purple was so expensive that it became the colour of emperors",
        "the Hundred Years War actually lasted one hundred and sixteen years",
        "the ancient Olympic Games ran for more than a thousand years",
        "tug of war was once an Olympic sport",
        "the Colosseum had giant sun shades to keep the crowd cool",
        "the stones of Machu Picchu fit together without any mortar",
    ),
    beats=(
        B(
            "the Great Pyramid",
            "The Great Pyramid of Giza was built from more than two million stone blocks.",
            ("For nearly four thousand years it was the tallest structure people had ever made.",),
            "a great pyramid among golden desert dunes, {color} sky, tiny travelers on the sand",
        ),
        B(
            "Roman concrete",
            "Roman builders mixed volcanic ash into their concrete, and some of their harbors "
            "have survived two thousand years of waves.",
            ("Modern engineers are still studying the recipe.",),
            "ancient stone temple columns beside a calm sea, {color} sunset sky",
        ),
        B(
            "the shortest war",
            "The shortest war in history, between Britain and Zanzibar in eighteen ninety six, "
            "was over in less than an hour.",
            ("Historians still argue about whether it lasted thirty eight or forty five minutes.",),
            "an old harbor city with towers at dawn, {color} sky, smoke drifting over the water",
        ),
        B(
            "Viking helmets",
            "Vikings did not wear horned helmets into battle.",
            ("That image mostly came from costumes made for a nineteenth century opera.",),
            "a viking longship on dark ocean waves, {color} sky, distant mountains",
        ),
        B(
            "the Eiffel Tower",
            "The Eiffel Tower was built for a world fair and was meant to be taken down after "
            "twenty years.",
            ("It survived partly because it was so useful as a giant radio antenna.",),
            "a tall iron tower above a city skyline at dusk, {color} sky",
        ),
        B(
            "the Statue of Liberty",
            "The Statue of Liberty used to be the colour of a shiny new penny.",
            ("Over about thirty years, its copper skin weathered into the green we know today.",),
            "a tall statue figure on an island in a harbor, green copper tones, {color} sky",
        ),
        B(
            "the Leaning Tower of Pisa",
            "The Leaning Tower of Pisa began to tilt during construction, because the soft "
            "ground under one side started to sink.",
            ("Builders took almost two hundred years to finish it.",),
            "a leaning white bell tower in an old city square, {color} sky",
        ),
        B(
            "woolly mammoths",
            "Woolly mammoths were still living on a remote Arctic island when the Great "
            "Pyramid was being built.",
            ("The last of them disappeared only about four thousand years ago.",),
            "a woolly mammoth walking across a snowy plain below mountains, {color} sky",
        ),
        B(
            "Cleopatra",
            "Cleopatra lived closer in time to the first Moon landing than to the building of "
            "the Great Pyramid.",
            ("To her, the pyramids were already ancient monuments.",),
            "an ancient palace by a river with tall columns, {color} evening sky, a rising moon",
        ),
        B(
            "Oxford University",
            "Teaching at Oxford had already begun by ten ninety six, long before the Aztec city "
            "of Tenochtitlan was founded.",
            ("Both places feel ancient, but their timelines barely touch.",),
            "an old stone university city with spires and towers, {color} sky",
        ),
        B(
            "Ada Lovelace",
            "In the eighteen forties, Ada Lovelace wrote what many call the first computer "
            "program, for a machine that was never fully built.",
            ("She also guessed that such machines might one day make music.",),
            "a lone person at a candlelit desk in an old library tower, {color} light",
        ),
        B(
            "the Great Wall",
            "The Great Wall of China is not one wall, but a network of walls built over many "
            "centuries.",
            ("Added together, its sections stretch for thousands of kilometers.",),
            "a long stone wall winding over green mountain ridges, watch towers, {color} sky",
        ),
        B(
            "imperial purple",
            "In ancient Rome, the finest purple dye came from thousands of sea snails, which is "
            "why purple became the colour of emperors.",
            ("A single robe could cost more than most people earned in a lifetime.",),
            "an ancient temple on a hill above a city, deep purple sky, golden light",
        ),
        B(
            "the Hundred Years War",
            "The Hundred Years War between England and France actually lasted one hundred and "
            "sixteen years.",
            ("It was really a long series of wars with pauses in between.",),
            "a medieval castle on a hill with banners, {color} stormy sky, a crowd of soldiers",
        ),
        B(
            "paper money",
            "Paper money first appeared in China more than a thousand years ago, because "
            "merchants were tired of carrying heavy strings of coins.",
            ("Marco Polo was amazed by it when he visited.",),
            "a busy ancient market city with pagoda towers, {color} lanterns, a crowd of people",
        ),
        B(
            "the ancient Olympics",
            "The ancient Olympic Games were held for more than a thousand years.",
            ("Winners received a simple crown of olive leaves.",),
            "an ancient stadium with a crowd and temple columns, {color} sky, olive trees",
        ),
        B(
            "Olympic tug of war",
            "Tug of war was an official Olympic sport in the early nineteen hundreds.",
            ("Teams of police officers won some of the medals.",),
            "a crowd of people pulling a rope across a grassy field, {color} sky",
        ),
        B(
            "Napoleon",
            "Napoleon was about average height for a Frenchman of his time.",
            (
                "The myth of his tiny height came partly from a mix up between French and "
                "English inches.",
            ),
            "a lone hero figure on a hill with a castle behind, {color} sky",
        ),
        B(
            "Machu Picchu",
            "Many walls at Machu Picchu were built without mortar, with stones cut to fit so "
            "tightly that a knife blade cannot slide between them.",
            ("That tight fit helps the walls survive earthquakes.",),
            "stone ruins on a green mountain ridge above the clouds, {color} sky",
        ),
        B(
            "hand copied books",
            "Before the printing press, copying a single book by hand could take a scribe "
            "many months.",
            ("That is why a library of just a few hundred books was a treasure.",),
            "a quiet monastery tower with one glowing window, {color} twilight sky",
        ),
        B(
            "the Colosseum",
            "The Colosseum in Rome could hold around fifty thousand spectators.",
            ("Sailors rigged huge canvas awnings above the seats to shade the crowd.",),
            "a grand round stone arena with arches, {color} sky, a tiny crowd",
        ),
        B(
            "ancient honey",
            "Archaeologists have found pots of honey in ancient Egyptian tombs that were "
            "thousands of years old and still edible.",
            ("Honey is so low in water that bacteria struggle to grow in it.",),
            "golden treasure in a torch lit pyramid chamber, {color} glow",
        ),
    ),
    lexicon={
        "topic": ("history", "ancient history", "historical", "world history"),
        "adj": (
            "strange",
            "forgotten",
            "surprising",
            "bizarre",
            "little known",
            "weird",
            "unbelievable",
            "fascinating",
            "hidden",
            "wild",
        ),
        "fact": ("fact",),
        "facts": ("facts",),
        "color": (
            "golden",
            "amber",
            "crimson",
            "dusty orange",
            "deep purple",
            "copper",
            "pale blue",
            "rose pink",
            "teal",
            "warm sepia",
        ),
        "count": ("two", "three", "four"),
        "setting": (
            "walking through a dusty museum hall",
            "standing in the ruins of an ancient city",
            "reading an old letter by candlelight",
            "exploring a quiet castle at sunset",
            "holding a coin that is two thousand years old",
        ),
        "tail": (
            "your teacher never mentioned",
            "that sound made up",
            "most people get wrong",
            "hiding in plain sight",
        ),
        "extra": (
            "History is full of surprises like this one.",
            "Most textbooks skip right over that detail.",
            "It changes how you picture the past.",
            "People back then were just as clever as we are.",
            "Sometimes the real story is stranger than the legend.",
            "The past is closer than it feels.",
            "Historians still love telling this one.",
        ),
        "closer": (
            "History is full of moments like this, hiding in plain sight.",
            "Follow for more history you never learned in school.",
            "The past is never as simple as the legend.",
        ),
        "title": (
            "History They Never Taught You",
            "The Past Was Weirder Than You Think",
        ),
    },
    hashtags=(
        "#historyfacts",
        "#ancienthistory",
        "#didyouknow",
        "#worldhistory",
        "#historybuff",
        "#archaeology",
        "#funfacts",
        "#education",
    ),
    core_hashtags=("#history",),
)
