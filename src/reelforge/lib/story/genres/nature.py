"""Nature and wildlife templates."""

from reelforge.lib.story.genre_data import Beat, GenreData

B = Beat

NATURE = GenreData(
    key="nature",
    cores=(
        "octopuses have three hearts and blue blood",
        "a group of flamingos is called a flamboyance",
        "sea otters hold paws while they sleep so they do not drift apart",
        "trees in a forest can share food with each other through fungus in the soil",
        "honeybees can learn to recognize human faces",
        "a blue whale's heart weighs about as much as a small car",
        "tiny animals called tardigrades can survive the vacuum of space",
        "the Amazon rainforest helps make its own rain",
        "some bamboo can grow almost a meter in a single day",
        "an ostrich's eye is bigger than its brain",
        "koalas can sleep up to twenty hours a day",
        "elephants can feel distant rumbles through their feet",
        "a hummingbird's heart can beat more than one thousand times a minute",
        "butterflies taste with their feet",
        "sharks are older than trees",
        "one kind of jellyfish can turn itself back into a baby",
        "crows can remember human faces for years",
        "there are more trees on Earth than stars in our galaxy",
        "wombats produce cube shaped droppings",
        "the mantis shrimp punches so fast that the water around it flashes with light",
        "sloths move so slowly that algae grows in their fur",
        "coral reefs shelter about a quarter of all ocean species",
    ),
    beats=(
        B(
            "octopuses",
            "An octopus has three hearts, and one of them stops beating when it swims.",
            ("That might be why octopuses usually prefer crawling.",),
            "a curious octopus drifting over a coral reef in deep ocean water, {color} light",
        ),
        B(
            "sea otters",
            "Sea otters often hold paws while they sleep, so they do not drift away from "
            "each other.",
            ("Some also wrap themselves in kelp, like a floating blanket.",),
            "two sea otters floating on calm ocean waves by a kelp forest, {color} sunset sky",
        ),
        B(
            "talking trees",
            "Trees in a forest can trade sugar and chemical signals through fungus networks "
            "that connect their roots.",
            ("Some scientists call it the wood wide web.",),
            "a misty ancient forest with tall trees and glowing roots, {color} light",
        ),
        B(
            "the blue whale",
            "The blue whale is the largest animal known to have ever lived, bigger than any "
            "dinosaur.",
            ("Its heart alone weighs about as much as a small car.",),
            "a giant whale gliding through deep ocean water beneath rolling waves, {color} light",
        ),
        B(
            "bamboo",
            "Some kinds of bamboo can grow almost a meter in a single day.",
            ("Technically, bamboo is not a tree at all, but a giant grass.",),
            "a dense green bamboo forest with rays of light, {color} mist",
        ),
        B(
            "tardigrades",
            "Tiny animals called tardigrades have survived being exposed to the vacuum of space.",
            ("They can dry out completely and come back to life when water returns.",),
            "a microscopic creature in a drop of water, floating cells, {color} glow",
        ),
        B(
            "hummingbirds",
            "A hummingbird's heart can beat more than one thousand times a minute.",
            ("They are also among the only birds that can fly backwards.",),
            "a tiny hummingbird hovering beside bright flowers in a tropical forest, {color} light",
        ),
        B(
            "butterflies",
            "Butterflies taste with their feet, so landing on a leaf tells them whether it is "
            "good for their eggs.",
            ("Their eyes can also see colours that are invisible to us.",),
            "orange butterflies over a meadow with distant mountains, {color} sky",
        ),
        B(
            "sharks",
            "Sharks have been around for more than four hundred million years, longer than "
            "trees have existed.",
            ("They even survived the event that wiped out the dinosaurs.",),
            "a shark gliding in dark ocean water with waves above, {color} light",
        ),
        B(
            "the immortal jellyfish",
            "One tiny jellyfish can turn itself back into a younger stage of life when it is "
            "hurt or stressed.",
            ("In theory, it could repeat that trick again and again.",),
            "glowing jellyfish drifting in a dark ocean, {color} light",
        ),
        B(
            "crows",
            "Crows can recognize individual human faces and remember them for years.",
            ("They even seem to warn other crows about people they do not trust.",),
            "a black crow perched on a bare tree branch in a misty forest, {color} sky",
        ),
        B(
            "the world's trees",
            "There are roughly three trillion trees on Earth, far more than the number of stars "
            "in our galaxy.",
            ("Even so, we cut down billions of them every year.",),
            "endless forest hills rolling toward the horizon, {color} dawn sky, faint stars",
        ),
        B(
            "wombats",
            "Wombats produce cube shaped droppings, which stay put on rocks and logs to mark "
            "their territory.",
            ("Scientists needed years of study to figure out how their guts do it.",),
            "a sleepy wombat by a fallen log in a eucalyptus forest, {color} evening light",
        ),
        B(
            "the mantis shrimp",
            "The mantis shrimp strikes so fast that the water around its claw forms bubbles "
            "that flash with light and heat.",
            ("Keeping one in an aquarium needs very strong glass.",),
            "a rainbow coloured mantis shrimp on a coral reef in the ocean, {color} water",
        ),
        B(
            "elephants",
            "Elephants can pick up low rumbles from other elephants through the ground, "
            "sensing them with their feet.",
            ("Those rumbles can travel for kilometers.",),
            "a herd of elephants walking across a savanna, {color} sky, acacia trees",
        ),
        B(
            "koalas",
            "Koalas sleep up to twenty hours a day, partly because their leafy diet gives them "
            "very little energy.",
            ("Eucalyptus leaves are also tough and mildly toxic, so digesting them takes time.",),
            "a koala asleep in a eucalyptus tree, soft {color} forest light",
        ),
        B(
            "flamingos",
            "Flamingos are pink because of pigments in the shrimp and algae they eat.",
            ("A group of them is called a flamboyance.",),
            "a flock of pink flamingos wading in a shallow lake below mountains, {color} sky",
        ),
        B(
            "ostriches",
            "An ostrich's eye is bigger than its brain.",
            ("Ostriches can also sprint at around seventy kilometers per hour.",),
            "an ostrich running across golden grassland with distant hills, {color} sky",
        ),
        B(
            "the Amazon",
            "The Amazon rainforest releases so much water vapor that it helps create its own rain.",
            ("Scientists call these invisible streams of moisture flying rivers.",),
            "a vast rainforest river winding through green forest, {color} clouds",
        ),
        B(
            "honeybees",
            "Honeybees share directions to flowers by dancing, with a waggle that points the way.",
            ("The longer the waggle, the farther away the flowers are.",),
            "honeybees above a golden meadow of wildflowers, hills in the distance, {color} sky",
        ),
        B(
            "sloths",
            "Sloths are so slow that algae grows in their fur, giving them a greenish tint that "
            "helps them hide.",
            ("They only climb down from their trees about once a week.",),
            "a sloth hanging from a branch in a misty green rainforest, {color} light",
        ),
        B(
            "coral reefs",
            "Coral reefs cover far less than one percent of the ocean floor, yet they shelter "
            "about a quarter of all marine species.",
            ("Each reef is built by tiny animals, layer by layer, over thousands of years.",),
            "a vibrant coral reef under clear ocean waves, {color} fish, sun rays",
        ),
    ),
    lexicon={
        "topic": ("nature", "animal", "wildlife", "ocean", "planet Earth"),
        "adj": (
            "strange",
            "adorable",
            "surprising",
            "bizarre",
            "little known",
            "weird",
            "beautiful",
            "unbelievable",
            "wild",
            "amazing",
        ),
        "fact": ("fact",),
        "facts": ("facts",),
        "color": (
            "emerald green",
            "golden",
            "turquoise",
            "soft pink",
            "amber",
            "deep blue",
            "teal",
            "orange",
            "lime green",
            "silver",
        ),
        "count": ("two", "three", "four"),
        "setting": (
            "walking through a quiet forest at dawn",
            "snorkeling over a bright coral reef",
            "sitting on a riverbank as the sun goes down",
            "hiking up a misty mountain trail",
            "watching waves roll onto an empty beach",
        ),
        "tail": (
            "that sound made up",
            "most people never learn",
            "that prove nature is weird",
            "you can share at dinner",
        ),
        "extra": (
            "Nature is full of tricks like this.",
            "Evolution had millions of years to get creative.",
            "It is a reminder that we share this planet with some truly odd neighbors.",
            "Scientists are still learning how it all works.",
            "And it has been doing this long before anyone noticed.",
            "That is the kind of thing you cannot unlearn.",
            "Life always finds a way to surprise us.",
        ),
        "closer": (
            "The natural world is stranger and smarter than we give it credit for.",
            "Follow for more wild facts about our planet.",
            "Next time you step outside, look a little closer.",
        ),
        "title": (
            "Nature Is Smarter Than You Think",
            "Animals With Unbelievable Superpowers",
        ),
    },
    hashtags=(
        "#animals",
        "#wildlife",
        "#naturefacts",
        "#animalfacts",
        "#ocean",
        "#planetearth",
        "#didyouknow",
        "#funfacts",
    ),
    core_hashtags=("#nature",),
)
