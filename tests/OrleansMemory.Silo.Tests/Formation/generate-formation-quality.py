import json, random
random.seed(20)
# (text, [[keywords of fact 1], [keywords of fact 2]...]) : statements a careful human would store.
pos = [
("btw I'm allergic to peanuts", [["peanut"]]),
("I live in Lisbon.", [["lisbon"]]),
("I'm a nurse, I work night shifts at the hospital.", [["nurse"]]),
("I really love hiking in the mountains!", [["hiking"]]),
("My favorite band is Radiohead.", [["radiohead"]]),
("I'm flying to Tokyo next month.", [["tokyo"]]),
("My sister lives in Boston.", [["sister","boston"]]),
("I have two kids.", [["two kids"]]),
("I don't eat meat.", [["meat"]]),
("I'm vegetarian.", [["vegetarian"]]),
("I work as a software engineer at a bank.", [["software engineer"]]),
("I speak Portuguese and Spanish.", [["portuguese"]]),
("My dog's name is Biscuit.", [["biscuit"]]),
("I have a cat named Miso.", [["miso"]]),
("I'm lactose intolerant.", [["lactose"]]),
("I grew up in Manchester.", [["manchester"]]),
("I play the violin.", [["violin"]]),
("I hate cilantro.", [["cilantro"]]),
("I prefer tea over coffee.", [["tea"]]),
("My wife is a doctor.", [["wife","doctor"]]),
("I'm getting married in June.", [["married","june"]]),
("I'm planning to run a marathon this fall.", [["marathon"]]),
("I'm moving to Berlin in September.", [["berlin"]]),
("I just adopted a rescue greyhound.", [["greyhound"]]),
("I'm a huge fan of science fiction novels.", [["science fiction"]]),
("My birthday is March 3rd.", [["march"]]),
("I drive a Subaru Outback.", [["subaru"]]),
("I'm 34 years old.", [["34"]]),
("I was born in Nairobi.", [["nairobi"]]),
("My husband works from home.", [["husband"]]),
("I'm studying for the bar exam.", [["bar exam"]]),
("I'm learning Japanese.", [["japanese"]]),
("I enjoy baking sourdough on weekends.", [["sourdough"]]),
("I can't stand horror movies.", [["horror"]]),
("My favorite food is pho.", [["pho"]]),
("I own a small bakery.", [["bakery"]]),
("I'm diabetic.", [["diabetic"]]),
("I'm training for a triathlon.", [["triathlon"]]),
("I volunteer at the animal shelter.", [["shelter"]]),
("My son is starting kindergarten.", [["son","kindergarten"]]),
("I started a new job at a startup.", [["new job"]]),
("I'm a teacher.", [["teacher"]]),
("I teach high school chemistry.", [["chemistry"]]),
("I'm originally from Chile.", [["chile"]]),
("I have a peanut-free kitchen because my daughter is allergic.", [["daughter","allergic"]]),
("My brother lives in Toronto.", [["brother","toronto"]]),
("I'm visiting my parents next weekend.", [["parents"]]),
("I love jazz.", [["jazz"]]),
("I avoid gluten.", [["gluten"]]),
("I use a wheelchair.", [["wheelchair"]]),
("My partner is a chef.", [["partner","chef"]]),
("I'm left-handed.", [["left-handed"]]),
("I work at a hospital in Leeds.", [["leeds"]]),
("I'm into rock climbing.", [["rock climbing"]]),
("I retired last year.", [["retired"]]),
("I'm pregnant with our first child.", [["pregnant"]]),
("My mom has Alzheimer's.", [["mom","alzheimer"]]),
("I prefer window seats on flights.", [["window seat"]]),
("I'm taking a pottery class this Thursday.", [["pottery"]]),
("I have three sisters.", [["three sisters"]]),
("My name is Priya.", [["priya"]]),
("I'm engaged to Sam.", [["sam"]]),
("I dislike spicy food.", [["spicy"]]),
("I majored in economics.", [["economics"]]),
("I'm a freelance photographer.", [["photographer"]]),
("I enjoy playing chess online.", [["chess"]]),
("I've lived in Seoul for ten years.", [["seoul"]]),
("I'm heading to Lagos for a conference.", [["lagos"]]),
("I don't drink alcohol.", [["alcohol"]]),
("My favourite colour is green.", [["green"]]),
("I graduated from MIT.", [["mit"]]),
("I'm allergic to penicillin.", [["penicillin"]]),
("I love gardening, especially tomatoes.", [["gardening"]]),
("I have a horse called Juniper.", [["juniper"]]),
("I'm a night owl and work best after 10pm.", [["night owl"]]),
# phrasings the rules are not built for (recall is reported honestly)
("Peanuts make me really sick, so keep them out of recipes.", [["peanut"]]),
("We just got a puppy!", [["puppy"]]),
("Been vegan for three years now.", [["vegan"]]),
("Work has me flying to Denver every month.", [["denver"]]),
("Coffee is my lifeline, black, no sugar.", [["coffee"]]),
("Our twins turn five in May.", [["twins"]]),
("Currently based in Oslo.", [["oslo"]]),
("Never been a fan of crowded beaches.", [["beach"]]),
("Me and my girlfriend are moving in together next month.", [["girlfriend"]]),
("Mornings are for running, always 5k before work.", [["running"]]),
]
# user turns that must store nothing
neg = [
"Hi!", "Hello there", "hey, good morning", "Thanks, that's really helpful!", "ok", "lol", "Cool.", "Great, thank you so much.",
"What's the capital of Australia?", "Can you help me plan a trip to Italy?", "How do I make a sourdough starter?",
"what time zone is Tokyo in", "Could you summarize that in three bullets?", "Why is the sky blue?",
"If I were rich I'd buy a boat.", "Maybe I'll move to Canada someday.", "I think I might be allergic to cats, not sure.",
"Imagine I'm a pirate captain. What would I say?", "Write a story where I'm a detective in Paris.",
"Suppose I lived in Norway, how cold would winter be?", "I wonder if I should learn German.",
"I like that one.", "I love your answer!", "I like the second option better.", "That sounds good to me.",
"I'm a bit tired today.", "I'm going to bed now, bye!", "I'm just browsing.", "I have a question about taxes.",
"I'm not sure what I want for dinner.", "Let's say I earn 50k a year, what's my tax?", "Tell me a joke.",
"My friend says pineapple on pizza is a crime.", "Please translate 'good night' into French.",
"I'd love a recipe for pancakes.", "Do you know any good podcasts?", "Is it going to rain tomorrow?",
"I guess I'll try it.", "I'm kidding, obviously.", "Sorry, I meant the other city.", "Which one is cheaper?",
"Can you recommend a book like Dune?", "I'm wondering about the best laptop for students.", "Thanks!! You're the best.",
"For example, I could say I'm a doctor.", "hmm", "Never mind.", "Let me think about it.", "I don't know, what do you think?",
"The weather is nice today.", "My coworker thinks I should ask for a raise, should I?", "I would probably go with the red one.",
]
asst = [
"Sure! Here's what I found.", "Great question. The capital is Canberra.", "I love that idea! Let's plan it.",
"I'm an AI assistant, so I don't eat, but here's a recipe.", "I live in the cloud, ha. Anyway, here are three options.",
"Noted. I'll keep that in mind.", "Here's a summary in three bullets.", "I'm happy to help with that.",
"I think you'd enjoy the coastal route.", "I have a few suggestions for you.", "I'm allergic to nothing, being software!",
"You mentioned you like hiking; here are trails.", "Of course. Anything else?", "I prefer to give sources: see below.",
"My favorite part of this is the history.", "Goodnight!", "That's a tough one; it depends on your budget.",
"I'm moving on to the next step now.", "I work best with clear instructions.", "Happy to help anytime.",
]
convs = []
ti = 0
for c in range(64):
    p = random.sample(pos, random.randint(2, 4))
    n = random.sample(neg, random.randint(2, 4))
    user_turns = [(t, f) for t, f in p] + [(t, []) for t in n]
    random.shuffle(user_turns)
    # sometimes glue a greeting or question onto a statement in one message
    turns = []
    for t, f in user_turns:
        if f and random.random() < 0.2:
            t = random.choice(["Hey! ", "Oh, and ", "Also, "]) + t + " " + random.choice(["Any tips?", "What do you suggest?", "Thanks!"])
        turns.append({"role": "user", "content": t, "expect": f})
        turns.append({"role": "assistant", "content": random.choice(asst)})
    convs.append({"id": f"q{c+1:02d}", "turns": turns})
total_turns = sum(len(c["turns"]) for c in convs)
facts = sum(len(t.get("expect", [])) for c in convs for t in c["turns"])
doc = {
  "description": "Labelled conversations for background memory formation. A user turn's 'expect' lists the facts a careful human would store from it, each as keywords that must all appear (case-insensitively) in the formed memory; a user turn with an empty 'expect' and every assistant turn must store nothing. Written for OrleansMemory issue 20, including phrasings the rules extractor is not built for, so recall is stated honestly.",
  "conversations": convs,
}
json.dump(doc, open("/work/wt-20/tests/OrleansMemory.Silo.Tests/Formation/formation-quality.json", "w"), indent=1, ensure_ascii=False)
print(len(convs), "conversations", total_turns, "turns", facts, "facts")
