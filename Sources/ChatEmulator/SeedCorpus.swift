import SeededRandom

/// Words and templates for seeded content: English, Japanese and emoji names; plain and Teams-style HTML messages,
/// including hostile markup that sanitizers must neutralise.
enum SeedCorpus {
    static let givenNames = [
        "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Niaj",
        "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter", "Yuki",
    ]
    static let familyNames = [
        "Johnson", "Smith", "Nguyen", "García", "O'Brien", "Müller", "Kowalski", "Okafor", "Larsen", "Chen",
    ]
    static let japaneseFamily = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤"]
    static let japaneseGiven = ["太郎", "花子", "健", "美咲", "翔太", "陽菜", "大輔", "さくら", "蓮", "葵"]
    static let emoji = ["🦊", "🚀", "🌸", "🐙", "☕️", "🎧", "🍣", "🌈", "🛠️", "📚"]

    static let topics = [
        "Project Phoenix", "東京オフィス移転", "Weekly sync 📅", "Release 2.4 planning", "資料レビュー",
        "Design review", "営業チーム", "Incident 4521", "Lunch crew 🍜", "予定調整", "Q3 roadmap",
        "会議の議事録", "Customer escalations", "新人研修 🌸", "Ops on-call",
    ]

    static let english = [
        "Can we move the standup to 10:30 tomorrow?",
        "I pushed the fix for the login bug, please review.",
        "The quarterly report is in the shared folder.",
        "Lunch at the usual place?",
        "Deploy finished without errors.",
        "Who owns the Tokyo office migration?",
        "Let's sync after the customer call.",
        "Thanks! That resolved it.",
        "Reminder: expense reports are due Friday.",
        "The build is red again, looking into it.",
        "Here are the meeting notes from today.",
        "Can someone check the staging database?",
        "Résumé review moved to Thursday, café on the 3rd floor.",
        "Invoice #4521 was paid yesterday.",
        "I'll be out of office next week 🏖️",
    ]

    static let japanese = [
        "明日の会議は10時からです。",
        "東京オフィスの資料を共有しました。",
        "来週の予定を確認してください。",
        "会議室を予約しました。",
        "資料の最新版はこちらです。",
        "東京は雨なので、予定を変更します。",
        "今日の会議の議事録を送ります。",
        "この資料をレビューしていただけますか？",
        "予定通りリリースできそうです。",
        "お疲れ様です！東京出張の件、了解しました。",
        "会議の資料は共有フォルダにあります。",
        "予定が空いていれば、東京で会いましょう。",
    ]

    static let hostile = [
        "<p>Quarterly numbers attached</p><script>alert('xss')</script>",
        "<img src=\"x\" onerror=\"alert(document.cookie)\">",
        "<p><a href=\"javascript:alert(1)\">click me</a> for the 資料</p>",
        "<svg onload=\"alert(1)\"><p>Agenda</p></svg>",
        "<p style=\"background:url(javascript:alert(1))\">Styled note</p>",
        "<iframe src=\"javascript:alert('frame')\"></iframe><p>予定</p>",
        "<a href=\"JaVaScRiPt:alert(2)\" onclick=\"steal()\">Open the report</a>",
        "<p onmouseover=\"alert(3)\">hover here</p><object data=\"evil.swf\"></object>",
    ]

    static func displayName(_ index: Int, using generator: inout SplitMix64) -> String {
        switch index % 3 {
        case 0:
            return givenNames.randomElement(using: &generator)! + " " + familyNames.randomElement(using: &generator)!
        case 1:
            return japaneseFamily.randomElement(using: &generator)! + " " + japaneseGiven.randomElement(
                using: &generator
            )!
        default:
            let name = givenNames.randomElement(using: &generator)!
            let mark = emoji.randomElement(using: &generator)!
            return generator.nextUnit() < 0.5 ? "\(mark) \(name)" : "\(name) \(mark)"
        }
    }

    static func topic(using generator: inout SplitMix64) -> String {
        topics.randomElement(using: &generator)!
    }

    static func sentence(using generator: inout SplitMix64) -> String {
        generator.nextUnit() < 0.5
            ? english.randomElement(using: &generator)! : japanese.randomElement(using: &generator)!
    }

    static func text(using generator: inout SplitMix64) -> String {
        let first = sentence(using: &generator)
        return generator.nextUnit() < 0.3 ? first + " " + sentence(using: &generator) : first
    }

    static func html(mentioning name: String, using generator: inout SplitMix64) -> String {
        let line = sentence(using: &generator)
        let number = Int.random(in: 1...9999, using: &generator)
        switch Int.random(in: 0..<100, using: &generator) {
        case 0..<3:
            return hostile.randomElement(using: &generator)!
        case 3..<20:
            return "<p>Hi <msft-mention id=\"0\">\(name)</msft-mention>, \(line)</p>"
        case 20..<32:
            return
                "<p><span itemtype=\"http://schema.skype.com/Mention\" itemscope=\"\" itemid=\"0\">\(name)</span> \(line)</p>"
        case 32..<42:
            return "<p>\(line)</p><p><img src=\"https://images.example.com/\(number).png\" alt=\"image\" "
                + "itemtype=\"http://schema.skype.com/AMSImage\" width=\"250\" height=\"180\" id=\"img\(number)\" itemscope=\"\"></p>"
        case 42..<55:
            return
                "<p>See <a href=\"https://docs.example.com/page/\(number)\" title=\"docs\">the design doc</a>: \(line)</p>"
        case 55..<63:
            return
                "<p>Run this:</p><pre><code>swift build -c release --product chat-archive &amp;&amp; echo \(number)</code></pre>"
        case 63..<75:
            return
                "<ul><li>\(line)</li><li>\(sentence(using: &generator))</li><li>\(sentence(using: &generator))</li></ul>"
        case 75..<85:
            return "<ol><li><b>会議</b>: \(line)</li><li><i>資料</i> #\(number)</li></ol>"
        default:
            return "<p><b>Important:</b> <i>\(line)</i> &lt;not a tag&gt; &amp; more</p>"
        }
    }
}
