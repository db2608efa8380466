import ArgumentParser
import Tracemark

@main
struct TracemarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tracemark")
}
