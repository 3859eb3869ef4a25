# Writes the shaders given in SHADERS (a ;-list of paths) into OUTPUT as raw string literals:
# cmake -DOUTPUT=... -DSHADERS=... -P embed_shaders.cmake (run at build time, so an edited
# shader rebuilds).
set(body "// Generated from shaders/ by app/viewer/embed_shaders.cmake. Do not edit.\n")
string(REPLACE "|" ";" SHADERS "${SHADERS}")
string(APPEND body "#include <map>\n#include <string_view>\n\nnamespace orefront::viewer {\n\n")
string(APPEND body "const std::map<std::string_view, std::string_view>& embeddedShaders() {\n")
string(APPEND body "    static const std::map<std::string_view, std::string_view> shaders = {\n")
foreach(path IN LISTS SHADERS)
  get_filename_component(name ${path} NAME)
  file(READ ${path} text)
  string(APPEND body "        {\"${name}\", R\"orefront_glsl(${text})orefront_glsl\"},\n")
endforeach()
string(APPEND body "    };\n    return shaders;\n}\n\n} // namespace orefront::viewer\n")
file(WRITE ${OUTPUT}.tmp "${body}")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
