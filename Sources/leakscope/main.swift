import LeakscopeCLI

await LeakscopeCommand.main()
