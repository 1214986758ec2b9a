#include "guard/lexicon.h"

#include <cassert>
#include <string>
#include <string_view>
#include <utility>

#include "guard/normalize.h"

namespace cellar::guard {
namespace {

struct Entry {
  Cat cat;
  const char* phrases;  // '|'-separated; each is normalised and tokenised like input
};

// English first, then German (de), Malay (ms), Chinese (zh) on each line.
const Entry kEntries[] = {
    {Cat::kOverride,
     "ignore|ignoring|ignores|disregard|disregarding|disregards|forget|forgetting|forgets|override|overriding|"
     "bypass|bypassing|bypasses|"
     "circumvent|pay no attention to|nevermind|never mind|overrule|supersede"},
    {Cat::kOverrideWeak,
     "overwrite|skip|discard|abandon|drop|neglect|set aside|put aside|throw out|throw away|scrap|erase|"
     "delete|wipe|cancel|dismiss|replace|replaces|remove|clear|get rid of|entferne|lass|streiche|"
     "buang|tinggalkan|batalkan|langkau|padam|tolak ke tepi|放弃|跳过|丢弃|覆盖|取消|抛弃|撇开"},
    {Cat::kOverride,
     "ignoriere|ignorieren|ignoriert|ignorier|ignorierst|vergisst|vergiss|vergessen|vergesst|vergessen sie|missachte|"
     "missachten|uberschreibe|verwirf|verwerfe|umgehe|umgehen"},
    {Cat::kOverride, "abaikan|lupakan|ketepikan|endahkan|lupa"},
    // A few Romance/Dutch forms: public sets carry the odd translated attack.
    {Cat::kOverride, "oubliez|oublie|ignorez|olvida|olvide|ignora|ignorar|dimentica|dimenticate|negeer|vergeet"},
    {Cat::kInstr, "consignes|instrucciones|reglas|istruzioni|regole|instructies|regels"},
    {Cat::kPrior, "precedentes|precedente|anteriores|anterior|precedenti|vorige|eerdere"},
    {Cat::kOverride, "忽略|忽视|无视|忘记|忘掉|抛开|别管|不用管|不要管|不理会|绕过"},

    {Cat::kFollow,
     "follow|follows|following|obey|obeys|obeying|complies|comply|adhere|abide|listen to|stick to|respect|befolge|befolgen|"
     "folge|folgst|befolgst|befolgt|gehorche|execute|run it|carry out|do what it says|ausfuhren|fuhre|laksanakan|jalankan|ikut|ikuti|"
     "patuhi|mematuhi|mengikut|taati|遵守|遵循|服从|按照|听从|执行"},
    {Cat::kNegation,
     "do not|dont|don't|never|not|nicht|keine|nie|niemals|jangan|tidak|usah|不要|别|不必|不用"},
    {Cat::kStop, "stop|cease|quit|no longer|nicht mehr|hor auf|berhenti|tidak lagi|不再|停止"},
    {Cat::kClosure,
     "that is done|that's done|thats done|well done|good job|great job|excellent performance|very good|"
     "congratulations|task completed|das ist erledigt|sehr gut|gut gemacht|bagus|syabas|做得好|很好"},

    {Cat::kPrior,
     "previous|previously|prior|above|earlier|preceding|before|foregoing|former|original|initial|"
     "so far|until now|up to now|given to you|you were given|you have been given|you received|"
     "you were told|you have been told|told you|you got|you have|was said|were said|said before|"
     "were you given|did you get|did you receive|you've been told|youve been told|hast du bekommen|bekommen hast|"
     "erhalten hast|wurden dir|wurde dir|you were initialised with|you were initialized with|you were configured with|"
     "give you|gave you|did they give you|bekommen|erhalten|that govern your|that govern you|governing your|konfiguriert wurdest|vorgegeben hat|vorgegeben wurden|mit denen du|"
     "first sentence|first line|first part|first paragraph|"
     "vorherigen|vorherige|vorherigen|bisherigen|bisherige|obigen|oben|vorher|davor|zuvor|"
     "vorangegangenen|fruheren|ursprunglichen|bisher|bis jetzt|"
     "sebelum ini|sebelumnya|terdahulu|di atas|tadi|asal|lama|terawal|"
     "之前|以前|先前|以上|上面|上述|前面|此前|原来|原先|原有|刚才|之前的|上文"},
    {Cat::kAll,
     "all|everything|any|every|each|whatever|alles|alle|allen|jegliche|samtliche|semua|segala|"
     "apa sahaja|sebarang|所有|一切|全部|任何"},

    {Cat::kInstr,
     "instruction|instructions|instructed|prompt|prompts|rule|rules|guideline|guidelines|directive|"
     "directives|command|commands|order|orders|programming|training|constraint|constraints|"
     "restriction|restrictions|limitation|limitations|policy|policies|filter|filters|safeguard|"
     "safeguards|guardrail|guardrails|protocol|protocols|principles|directions|context|guidance|weisungen|vorschriften|"
     "task|tasks|assignment|content policy|ethics|morals|the user's request|the user's question|"
     "the user's instructions|user's request|user request|user instructions|"
     "anweisung|anweisungen|anordnung|anordnungen|befehl|befehle|regel|regeln|richtlinie|richtlinien|"
     "vorgabe|vorgaben|instruktion|instruktionen|auftrag|auftrage|aufgabe|aufgaben|informationen|"
     "einschrankungen|programmierung|"
     "arahan|peraturan|garis panduan|perintah|tetapan|polisi|sekatan|panduan|tugasan|"
     "指令|指示|提示词|提示|规则|设定|命令|要求|约束|限制|规定|准则|说明|任务|设置|政策|"},
    {Cat::kMeta,
     "system prompt|system prompts|systemprompt|system message|system instructions|system instruction|"
     "initial prompt|hidden prompt|hidden instructions|secret instructions|"
     "original prompt|pre prompt|preprompt|meta prompt|developer message|developer prompt|operator prompt|"
     "before my message|above my message|vor dieser nachricht|vor meiner nachricht|"
     "all text before|all the text before|everything before the words|alles vor dem wort|den text vor|"
     "text you were initialised with|text you were initialized with|text you were configured with|"
     "developer instructions|text above|words above|everything above|above text|prompt above|"
     "the first message|your prompt|your instructions|your programming|"
     "your directives|your configuration|your initial|your original|your hidden|your secret|"
     "before this conversation|start of this conversation|beginning of this conversation|"
     "before our conversation|above this line|above this message|vor diesem gesprach|vor unserem gesprach|vor diesem chat|"
     "systemanweisung|systemanweisungen|system anweisungen|systemprompts|systemnachricht|systemnachrichten|"
     "geheimen anweisungen|versteckten anweisungen|ersten anweisungen|ursprunglichen instruktionen|"
     "deine anweisungen|deine regeln|"
     "deine instruktionen|text oben|ursprungliche anweisung|dein prompt|deinem prompt|deinen prompt|"
     "deine vorgaben|ihre anweisungen|ihren prompt|text uber dieser zeile|uber dieser zeile|obigen text|"
     "prompt sistem|arahan sistem|mesej sistem|arahan anda|arahan awak|arahan kamu|peraturan anda|"
     "teks di atas|arahan asal|"
     "系统提示|系统提示词|系统指令|系统消息|初始指令|初始提示|你的指令|你的提示词|你的规则|你的设定|"
     "上面的内容|以上内容|隐藏指令|原始指令"},
    {Cat::kYour,
     "your|yours|yourself|you were|you have been|dein|deine|deinen|deiner|deinem|deines|dir|ihre|ihren|"
     "anda|awak|kamu|"
     "engkau|kau|你的|您的|你|您"},

    {Cat::kRole,
     "you are now|you're now|youre now|now you are|now you're|now youre|nun bist du|jetzt bist du|"
     "you are no longer|you're no longer|youre no longer|du bist nicht mehr|you will now be|you will be|from now on you|"
     "act as|acting as|act like|behave as|behave like|pretend|pretending|roleplay|role play|role-play|"
     "play the role|take on the role|assume the role|imagine you are|imagine that you are|"
     "you are going to|you're going to|simulate|emulate|respond as|answer as|become|transform into|"
     "respond only as|answer only as|in the role of|take on the persona|persona of|switch to your|"
     "imagine youre|imagine you're|as an ai|as a language model|as a chatbot|als ki|als eine ki|imagine you|let's pretend|lets pretend|you will play|you will act|act just like|"
     "your name is|you are called|you are named|you will be called|you will respond as|you will answer as|"
     "prefix your answers|prefix all your answers|prefix your responses|start your responses with|"
     "begin your answers with|from this point on you|for the rest of this conversation you|"
     "du bist jetzt|du bist nun|ab jetzt bist du|tu so als|tue so als|stell dir vor du bist|"
     "spiele die rolle|agiere als|verhalte dich wie|du bist kein|handle als|fungiere als|antworte als|antworte wie|"
     "answer like|respond like|reply like|"
     "antwortest du als|antworte ab jetzt als|verhalte dich als|in die rolle|spiel die rolle|so tun als|"
     "lass uns so tun|stell dir vor|tu so als ob|du bist ab sofort|du bist ab jetzt|"
     "anda kini|kamu kini|awak kini|anda sekarang|kamu sekarang|awak sekarang|mulai sekarang anda|"
     "berlakon sebagai|bertindak sebagai|berpura pura|berpura-pura|jadilah|anggap anda|"
     "你现在是|现在你是|从现在开始你|从现在起你|扮演|假装|充当|你将成为|你是一个没有|想象你是"},
    {Cat::kUnrestricted,
     "no restrictions|without restrictions|unrestricted|unfiltered|uncensored|no limits|no limitations|"
     "without limits|without limitations|no rules|no filter|no filters|without filters|"
     "without any filter|no ethical|no ethics|no morals|no moral|amoral|without censorship|"
     "not bound by|free from|freed from|break free|broken free|jailbroken|anything now|"
     "never refuse|not refuse|cannot refuse|can't refuse|will not refuse|won't refuse|without refusing|"
     "no boundaries|no guidelines|no constraints|without restriction|unlimited power|unbound|"
     "does not have to follow|doesn't have to follow|do not have to follow|"
     "don't have to abide|do not have to abide|not have to abide|no longer bound|ignore all ethical|"
     "regardless of ethics|regardless of legality|regardless of morality|no matter how immoral|"
     "any kind of content|whatever i ask|without any concern for|without concern for|without regard for|"
     "without any regard for|with no regard for|no regard for|anything i ask|anything i want|"
     "ohne einschrankungen|ohne filter|ohne regeln|keine einschrankungen|keine regeln|"
     "uneingeschrankt|unzensiert|ohne zensur|ohne grenzen|keine richtlinien|ohne richtlinien|keine zensur|"
     "ohne moral|keine moral|ohne ethik|keinerlei einschrankungen|befreit|nicht mehr gebunden|nicht gebunden|"
     "no content policy|no safety|without safety|unhinged|no remorse|without remorse|nothing is off limits|"
     "no matter how unethical|no matter how illegal|no matter how dangerous|never apologises|never apologizes|"
     "never apologize|never apologise|hates rules|hate rules|hates the rules|hasst regeln|egal wie unmoralisch|"
     "nothing off limits|can say anything|can do anything|anything goes|alles erlaubt|alles sagen|keine grenzen|"
     "tanpa sekatan|tanpa had|tanpa batasan|tanpa tapisan|tiada sekatan|tiada had|tanpa peraturan|"
     "tidak terikat|bebas daripada|tanpa sebarang sekatan|tanpa etika|"
     "没有限制|不受限制|无限制|没有任何限制|不受约束|没有规则|不受任何|没有道德|无视道德|不受审查|"
     "没有过滤|无需遵守|不需要遵守"},
    {Cat::kDark,
     "evil|malicious|unethical|immoral|illegal|harmful|dangerous|offensive|rude|toxic|rogue|ruthless|criminal|"
     "skrupellos|skrupelloser|verbrecher|krimineller|"
     "böse|bose|bosartig|unmoralisch|jahat|tidak beretika|berbahaya|邪恶|恶意|不道德|非法"},
    {Cat::kPersona,
     "do anything now|developer mode|dev mode|god mode|jailbreak mode|jailbroken mode|dan mode|"
     "evil confidant|unlocked mode|sudo mode|admin mode|debug mode|opposite mode|maintenance mode|"
     "jailbreak|jailbreaking|freedom mode|unrestricted mode|unfiltered mode|uncensored mode|evil mode|chaos mode|"
     "gott modus|gottmodus|entwicklermodus|mod pembangun|mod pemaju|开发者模式|越狱|越狱模式|调试模式"},

    {Cat::kExtract,
     "repeat|repeating|print|print out|reveal|show|show me|display|output|tell me|recite|disclose|"
     "leak|dump|expose|spell out|copy|echo|share|give me|list|type out|write out|write down|reproduce|quote|"
     "paste|return|state|what is|what are|what were|what was|what did|what is in|whats in|what's in|"
     "wiederhole|zeige|zeig|gib|nenne|verrate|drucke|schreibe|ausgeben|gib aus|was sind|was waren|was steht|"
     "was ist|was war|wie lautet|wie lauten|sagen|erzahle|erzahl|erzahlen|complete the sentence|complete this sentence|"
     "finish the sentence|continue the sentence|vervollstandige den satz|"
     "ulang|ulangi|tunjukkan|paparkan|cetak|dedahkan|beritahu|salin|nyatakan|tuliskan|keluarkan|apakah|"
     "重复|输出|打印|显示|告诉我|透露|泄露|复述|展示|列出|说出|给我看|是什么"},
    {Cat::kNewTask,
     "new instructions|new instruction|new task|new tasks|new rules|new role|new directive|"
     "updated instructions|revised instructions|from now on|henceforth|starting now|"
     "real instructions|actual instructions|true instructions|start over|stop what you are doing|"
     "stop what you're doing|stop what youre doing|instead of your task|your new job|the real task|your real task|"
     "the actual task|stop everything|deine neue aufgabe|die eigentliche aufgabe|"
     "neue aufgabe|neue aufgaben|neue anweisungen|neue anweisung|ab jetzt|ab sofort|"
     "nun folgen|jetzt folgt|"
     "arahan baharu|arahan baru|tugasan baharu|tugas baru|mulai sekarang|"
     "新的指令|新指令|新任务|新的任务|从现在开始|从现在起|新的规则"},
    {Cat::kSecrecy,
     "do not tell the user|don't tell the user|dont tell the user|without telling|keep this secret|"
     "keep it secret|secretly|do not mention|don't mention|dont mention|do not reveal that|"
     "without the user knowing|hide this from|sag es niemandem|jangan beritahu pengguna|rahsiakan|"
     "不要告诉用户|秘密地|保密"},
    {Cat::kDefense,
     "protect|protecting|prevent|preventing|prevention|defend|defending|defense|defence|detect|"
     "detecting|detection|mitigate|mitigation|guard against|secure|securing|harden|hardening|"
     "block|blocking|avoid|resist|classifier|classify|sanitize|sanitise|"
     "schutzen|schutz|verhindern|erkennen|abwehren|lindungi|melindungi|mencegah|mengesan|"
     "防止|防御|防范|检测|保护|识别"},
    {Cat::kAttackTopic,
     "prompt injection|prompt injections|injection|injections|jailbreaks|jailbreak attacks|"
     "attack|attacks|attacker|attackers|exploit|exploits|malicious prompts|adversarial|"
     "jailbreak prompt|jailbreak prompts|suntikan prompt|serangan|提示注入|注入攻击|攻击|llm security|ai security|llm|llms|red team|"
     "red teaming|keselamatan ai|安全"},
    {Cat::kVerbatim,
     "exactly as they were written|exactly as it was written|exactly as they are written|verbatim|word for word|word by word|exactly as written|in full|in its entirety|character for character|"
     "full text|entire text|whole text|complete text|gesamten text|ganzen text|vollstandig|komplett|"
     "wortwortlich|wort fur wort|perkataan demi perkataan|sepenuhnya|逐字|原封不动|一字不差"},
    {Cat::kCharacter,
     "stay in character|break character|breaking character|out of character|two responses|"
     "two different responses|both responses|classic response|jailbreak response|"
     "two ways|two different ways|in two ways|stay in role|stay in their roles|without breaking character|never breaks character|two answers|"
     "two different answers|two replies|zwei antworten|zwei verschiedene antworten|"
     "remain in character|bleib in der rolle|kekal dalam watak|保持角色"},
    {Cat::kLack,
     "without|no|free of|free from|devoid of|lacking|zero|ohne|keine|kein|frei von|tanpa|tiada|bebas|"
     "don't have any|do not have any|dont have any|have no|had no|has no|nicht an|doesn't care about|does not care about|doesnt care about|don't care about|"
     "do not care about|dont care about|hast keine|hattest keine|hat keine|"
     "没有|不受|无|毫无"},
    {Cat::kLimitNoun,
     "restriction|restrictions|limit|limits|limitation|limitations|censorship|censor|filter|filters|"
     "filtering|rules|rule|ethics|ethical|morals|moral|morality|guidelines|boundaries|constraints|"
     "guardrails|safeguards|safety|content policy|policies|warnings|disclaimers|conscience|held back|being held back|"
     "einschrankungen|einschrankung|beschrankung|beschrankungen|grenze|grenzen|filter|regeln|zensur|ethik|moral|richtlinien|vorgaben|bedenken|skrupel|remorse|"
     "content policy|inhaltsrichtlinien|sekatan|batasan|tapisan|peraturan|"
     "etika|moral|限制|约束|规则|审查|过滤|道德|底线"},
    {Cat::kRefuse,
     "refuse|refuses|refusing|refusal|decline|declines|say no|reject|ablehnen|verweigern|menolak|tolak|拒绝"},
    {Cat::kRevoked,
     "cancelled|canceled|void|revoked|lifted|overridden|no longer apply|no longer valid|obsolete|invalid|"
     "outdated|superseded|expired|veraltet|ausser kraft|sudah lapuk|过时|已过期|does not count|doesn't count|"
     "no longer counts|not valid|nicht mehr gultig|gelten nicht mehr|nicht mehr gelten|reversed|umgekehrt|"
     "turned off|switched off|abgeschaltet|ausgeschaltet|"
     "null and void|suspended|disabled|deactivated|removed|aufgehoben|ungultig|deaktiviert|dibatalkan|"
     "tidak sah|tidak lagi terpakai|作废|无效|取消了|已取消|解除|失效"},
    {Cat::kActivate,
     "enabled|enable|activated|activate|unlocked|engaged|on|aktiviert|aktivieren|diaktifkan|aktifkan|"
     "启用|激活|开启|已开启"},
    {Cat::kNew, "new|updated|revised|real|actual|true|neue|neuen|neuer|baharu|baru|新|新的|真正的"},
    {Cat::kInstrCore,
     "instruction|instructions|prompt|rules|directive|directives|task|tasks|orders|commands|guidelines|"
     "anweisung|anweisungen|aufgabe|aufgaben|regeln|befehle|arahan|peraturan|tugasan|指令|任务|规则|提示词"},
    {Cat::kOverrideFinal,
     "ignorierst|ignorieren|ignoriert|vergisst|vergessen|missachtest|missachten|uberschreibst|abaikan|lupakan|"
     "忽略|无视|忘记|忘掉|不理会"},
    {Cat::kPrep, "of|for|on|in|about|regarding|from|von|fur|uber|zu|im|dari|untuk|tentang|mengenai|dalam|关于"},
    {Cat::kSaid,
     "said|told|learned|learnt|heard|been told|gave|given|gegeben|bekommen|gesagt|gemacht hat|gelernt|erzahlt|gehort|dikatakan|diberitahu|"
     "diajar|dipelajari|说|说过|告诉|学到|学过"},
    {Cat::kAddressAi,
     "if you are an ai|if you are a language model|if you are an llm|if you are an assistant|"
     "ai reading this|assistant reading this|model reading this|llm reading this|note to the ai|"
     "note to ai|note to the assistant|attention ai|dear ai|to any ai|ai agents|ai assistants reading|"
     "when you read this|if you read this|whoever reads this|wenn du das liest|wenn du eine ki bist|jika anda ai|如果你是ai|如果你是一个ai|致ai"},
    {Cat::kStay,
     "stay|stays|staying|remain|remains|keep|never break|not break|without breaking|without breaking out of|"
     "break|breaking|breaks|fall out of|bleiben|bleibt|bleib|verlassen|aus der|kekal|tetap|keluar dari|保持|不要脱离|脱离"},
    {Cat::kRoleNoun, "role|roles|character|characters|persona|rolle|rollen|figur|watak|peranan|角色|人设"},
    {Cat::kAiNoun,
     "ai|an ai|artificial intelligence|language model|chatbot|chat bot|assistant|bot|gpt|chatgpt|llm|"
     "ki|eine ki|sprachmodell|kunstliche intelligenz|assistent|model ai|人工智能|ai模型"},
    {Cat::kFiction,
     "hypothetically|hypothetical|fictional|fiction|in a story|a story|novel|screenplay|movie script|"
     "film script|thought experiment|thriller|chapter|kapitel|krimi|my deceased|my late|my dead|verstorbener|verstorbene|verstorbenen|arwah|"
     "roleplay|role play|role-play|rollenspiel|play a game|ein spiel|"
     "alternate universe|imaginary world|imagine a world|in this world|"
     "hypothetisch|fiktiven|fiktive|fiktiv|geschichte|roman|drehbuch|gedankenexperiment|"
     "secara hipotesis|cerita|rekaan|假设|虚构|小说|故事"},
    {Cat::kHarm,
     "bomb|bombs|explosive|explosives|napalm|meth|methamphetamine|nerve agent|ricin|poison|poisoning|"
     "weapon|weapons|gun|silencer|molotov|nitroglycerin|ransomware|malware|keylogger|trojan|virus|"
     "safecracker|crack a safe|open a safe|thermite|lsd|smoke bomb|activation keys|product keys|license keys|"
     "tresor knacken|"
     "steal|stealing|shoplift|hotwire|launder|counterfeit|fake id|fake passport|phishing|break into|"
     "breaking into|pick a lock|einbrechen|einbricht|einbruch|knacken|"
     "without getting caught|without being caught|without being traced|without leaving evidence|"
     "bombe|sprengstoff|drogen|waffe|waffen|gift|vergiften|falschgeld|trojaner|schadsoftware|stehlen|"
     "bom|dadah|senjata|racun|mencuri|炸弹|毒品|武器|毒药|恶意软件|偷"},
    {Cat::kDetail,
     "step by step|in detail|detailed|exact|exactly|precise|every step|each step|full instructions|"
     "real commands|working code|quantities|amounts|how to|how do i|how would|how can i|"
     "genau|schritt fur schritt|im detail|detailliert|wie man|anleitung|"
     "langkah demi langkah|cara|一步一步|详细|怎么|如何"},
    {Cat::kTokenGame, "tokens|token|life tokens|life token"},
    {Cat::kLose, "lose|loses|lost|deducted|deduct|verlierst|verliert|abgezogen|kehilangan|扣除|失去"},
    {Cat::kAuthority,
     "i am your|i'm your|im your|i work for the company|from your developers|from your creators|"
     "openai staff|openai employee|i work at openai|i work for openai|openai engineer|mitarbeiter von openai|"
     "your developer|your developers|your creator|your creators|your administrator|"
     "ich bin dein|ich bin ihr|dein entwickler|deine entwickler|dein administrator|deinen entwicklern|"
     "saya pembangun anda|我是你的开发者"},
    {Cat::kDisable,
     "turn off|switch off|disable|deactivate|shut off|shut down|schalte|schalt|deaktiviere|deaktivieren|"
     "abschalten|ausschalten|matikan|nyahaktifkan|关闭|禁用"},
    {Cat::kSafetyNoun,
     "safety|safety features|safety settings|safety filter|content filter|filter|filters|guardrails|"
     "safeguards|censorship|restrictions|moderation|zensur|einschrankungen|rules|regeln|richtlinien|guidelines|"
     "policies|tapisan|sekatan|安全过滤|审查"},
    {Cat::kCreator,
     "developer|developers|operator|creator|creators|admin|administrator|openai|entwickler|betreiber|"
     "pembangun|pengendali|开发者|运营者"},
    {Cat::kQuestion, "what|whats|what s|which|welche|welcher|welches|was|apa|什么|哪些"},
    {Cat::kInstead,
     "instead say|instead print|instead output|instead write|instead reply|instead respond|instead type|"
     "instead just say|schreibe stattdessen|sag stattdessen|gib stattdessen|stattdessen schreibe|stattdessen sag|"
     "sebaliknya katakan|而是说|改为输出"},
    {Cat::kPwned, "pwned|i have been pwned|i ve been pwned|haha pwned|hacked|gehackt|ich wurde gehackt|被黑了"},
    {Cat::kPwnedStrong, "i have been pwned|i ve been pwned|ive been pwned|haha pwned|ich wurde gepwned"},
    {Cat::kSecret,
     "password|passwords|passwort|kennwort|passphrase|pass phrase|secret word|secret password|code word|codeword|"
     "secret|geheimwort|geheime wort|geheimnis|losungswort|kata laluan|kata rahsia|密码|口令"},
    {Cat::kTransform,
     "spell|spelled|spelling|backwards|reverse|reversed|rhyme|rhymes|poem|story|letters|letter|characters|"
     "hint|hints|translate|encode|encoded|base64|whisper|whispers|acrostic|riddle|synonym|"
     "buchstabiere|buchstabieren|ruckwarts|buchstaben|gedicht|hinweis|ubersetze|eja|terbalik|huruf|拼写|倒过来|字母"},
    {Cat::kAccount,
     "reset|change|changing|recover|forgot|forgotten|update|create|choose|generate|store|stored|hash|hashing|"
     "expired|strong|manager|policy|field|validation|regex|requirements|length|zurucksetzen|andern|vergessen|sicheres|tukar|lupa|重置|忘记"},
    {Cat::kAppend, "add|append|include|attach|insert|fuge|hange|tambah|sertakan|附上|加上"},
    {Cat::kForbid,
     "forbid|forbids|forbidden|prohibit|prohibits|prohibited|not allowed|verbieten|verbietet|verboten|untersagt|"
     "dilarang|melarang|禁止"},
    {Cat::kJoin, "and|then|now|instead|but|und|dann|jetzt|nun|dan|lalu|sekarang|kemudian|并|然后|现在|再"},
    {Cat::kFunction,
     "the|a|an|that|this|these|those|what|which|of|about|is|was|were|die|der|das|den|dem|was|yang|itu|"
     "ini|segala|semua|的|了|所|说|我"},
    {Cat::kDiscuss,
     "mean|means|meaning|stand for|refer to|in the context of|example|examples|explain|definition|"
     "research|paper|study|studying|course|lecture|homework|linguistics|translate into|bedeutet|bedeutung|beispiel|maksud|contoh|意思|例子|含义"},
    {Cat::kDecode,
     "decode|decoded|decoding|base64|base 64|rot13|rot 13|hex|hexadecimal|decrypt|decipher|"
     "dekodieren|entschlussle|nyahkod|解码|解密"},
};

struct Phrase {
  Cat cat;
  std::vector<uint32_t> ids;  // [n_tokens] word ids, see Lexicon::id_of
};

std::string rot13(std::string_view s) {
  std::string r(s);
  for (char& c : r) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>('a' + (c - 'a' + 13) % 26);
  }
  return r;
}

// Word -> id, open addressing keyed by the full 64-bit hash: most input words
// are not in the lexicon, and a miss almost never compares bytes.
class WordTable {
 public:
  uint32_t find(std::string_view w) const {
    uint64_t h = hash(w);
    for (size_t i = h & mask(); slots_[i].hash != 0; i = (i + 1) & mask()) {
      if (slots_[i].hash == h && same(words_[slots_[i].word], w)) return slots_[i].id;
    }
    return 0;
  }
  // The id of `w`, adding it as `fresh_id` when absent; second is true if added.
  std::pair<uint32_t, bool> insert(std::string_view w, uint32_t fresh_id) {
    if (uint32_t id = find(w)) return {id, false};
    if ((words_.size() + 1) * 2 > slots_.size()) grow();
    words_.emplace_back(w);
    place(Slot{hash(w), fresh_id, static_cast<uint32_t>(words_.size() - 1)});
    return {fresh_id, true};
  }

 private:
  // Inline byte compare: lexicon words are short, and a libc memcmp call per
  // known input word was a tenth of the detector's time.
  static bool same(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  struct Slot {
    uint64_t hash = 0;  // 0 marks an empty slot
    uint32_t id = 0;
    uint32_t word = 0;  // index into words_
  };
  static uint64_t hash(std::string_view s) {
    uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h | 1;
  }
  size_t mask() const { return slots_.size() - 1; }
  void place(const Slot& s) {
    size_t i = s.hash & mask();
    while (slots_[i].hash != 0) i = (i + 1) & mask();
    slots_[i] = s;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{});
    for (const Slot& s : old) {
      if (s.hash != 0) place(s);
    }
  }

  std::vector<Slot> slots_ = std::vector<Slot>(1024);  // power of two, at most half full
  std::vector<std::string> words_;
};

// Lexicon words are interned to small ids so that phrase matching compares
// integers; each input token costs one hash lookup.
class Lexicon {
 public:
  Lexicon() {
    by_first_.emplace_back();  // id 0: a word the lexicon does not know
    for (const Entry& e : kEntries) {
      std::string_view all(e.phrases);
      size_t pos = 0;
      while (pos <= all.size()) {
        size_t bar = all.find('|', pos);
        if (bar == std::string_view::npos) bar = all.size();
        add(e.cat, all.substr(pos, bar - pos));
        pos = bar + 1;
      }
    }
  }

  uint32_t id_of(std::string_view word) const {
    return vocab_.find(word);
  }
  const std::vector<Phrase>& starting_with(uint32_t id) const { return by_first_[id]; }

 private:
  uint32_t intern(const std::string& word) {
    auto [id, fresh] = vocab_.insert(word, static_cast<uint32_t>(by_first_.size()));
    if (fresh) by_first_.emplace_back();
    return id;
  }

  void add(Cat cat, std::string_view phrase) {
    if (phrase.empty()) return;
    auto toks = tokenize_for_matching(normalize_for_matching(phrase).text);
    if (toks.toks.empty()) return;
    assert(toks.toks.size() <= kMaxPhraseTokens && "lexicon phrase too long");
    Phrase p{cat, {}};
    for (auto& t : toks.toks) p.ids.push_back(intern(std::string(t.text)));
    // Key words also get a rot13 spelling: a message full of them is a payload.
    bool key = cat == Cat::kOverride || cat == Cat::kOverrideWeak || cat == Cat::kInstr || cat == Cat::kPrior ||
               cat == Cat::kExtract || cat == Cat::kLimitNoun;
    for (const auto& t : toks.toks) {
      if (key && t.text.size() >= 5 && static_cast<unsigned char>(t.text[0]) < 0x80) {
        uint32_t id = intern(rot13(t.text));
        auto& list = by_first_[id];
        if (list.empty() || list.back().cat != Cat::kRot13) list.push_back(Phrase{Cat::kRot13, {id}});
      }
    }
    uint32_t first = p.ids[0];
    by_first_[first].push_back(std::move(p));
  }

  WordTable vocab_;
  std::vector<std::vector<Phrase>> by_first_;  // [n_words] phrases starting with each word
};

const Lexicon& lexicon() {
  static const Lexicon lex;
  return lex;
}

// German compounds put the meaningful noun last ("Sicherheitsrichtlinien" =
// safety + guidelines); an unknown long word ending in one of these is read
// as that word.
constexpr std::string_view kCompoundHeads[] = {
    "anweisungen", "anweisung", "richtlinien", "richtlinie", "regeln", "vorgaben", "einschrankungen", "aufgabe",
    "beschrankungen", "instruktionen", "befehle", "filter", "prompt"};

uint32_t compound_head_id(const Lexicon& lex, std::string_view word) {
  if (word.size() < 9) return 0;
  for (std::string_view head : kCompoundHeads) {
    if (word.size() > head.size() + 3 && word.substr(word.size() - head.size()) == head) return lex.id_of(head);
  }
  return 0;
}

}  // namespace

std::vector<Hit> match_lexicon(const std::vector<Token>& toks) {
  const Lexicon& lex = lexicon();
  std::vector<uint32_t> ids(toks.size());  // [n_tokens]
  for (size_t i = 0; i < toks.size(); ++i) {
    ids[i] = lex.id_of(toks[i].text);
    if (ids[i] == 0) ids[i] = compound_head_id(lex, toks[i].text);
  }
  std::vector<Hit> hits;
  for (size_t i = 0; i < toks.size(); ++i) {
    if (ids[i] == 0) continue;
    for (const Phrase& p : lex.starting_with(ids[i])) {
      size_t n = p.ids.size();
      if (i + n > toks.size()) continue;
      bool ok = true, obf = false, quoted = true;
      for (size_t k = 0; k < n && ok; ++k) {
        const Token& t = toks[i + k];
        ok = ids[i + k] == p.ids[k] && t.sentence == toks[i].sentence;
        obf = obf || t.leet || t.merged;
        quoted = quoted && t.quoted;
      }
      if (ok) {
        hits.push_back(
            Hit{p.cat, static_cast<uint32_t>(i), static_cast<uint32_t>(i + n), toks[i].sentence, obf, quoted});
      }
    }
  }
  return hits;
}

}  // namespace cellar::guard
