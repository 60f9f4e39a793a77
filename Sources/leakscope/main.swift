import LeakscopeCLI

await LeakscopeCommand.launch()
